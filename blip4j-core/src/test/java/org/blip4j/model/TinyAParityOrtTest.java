package org.blip4j.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.blip4j.ort.OrtEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Every check of {@link TinyAParityTest} against the official goldens, with inference in ONNX Runtime. */
class TinyAParityOrtTest extends TinyAParityTest {
    static OrtEngine engine;

    @BeforeAll
    static void useOnnxRuntime() {
        engine = OrtEngine.attach(model, 1);
    }

    @AfterAll
    static void onnxRuntimeDidTheWork() {
        assertTrue(engine.runs() > 0, "no graph ran in ONNX Runtime");
    }
}
