package org.blip4j.generate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.blip4j.ort.OrtEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every generation check of {@link TinyAGenerationTest} (official greedy goldens, beam and sampling invariants)
 * with the decoder running in ONNX Runtime: the cached decoder steps go through {@link OrtEngine}; the uncached
 * ones (the official code's way) stay on libtorch, so those checks compare the two engines.
 */
class TinyAGenerationOrtTest extends TinyAGenerationTest {
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
