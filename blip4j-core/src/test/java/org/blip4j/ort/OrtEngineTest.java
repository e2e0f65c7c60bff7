package org.blip4j.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import java.util.List;
import org.blip4j.engine.Engines;
import org.blip4j.generate.DecoderStep;
import org.blip4j.generate.DecoderStepProvider;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.generate.Generator;
import org.blip4j.generate.Hypothesis;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipModel;
import org.blip4j.model.ModelInitializer;
import org.blip4j.model.ModelPresets;
import org.blip4j.model.Part;
import org.blip4j.testutil.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ONNX Runtime engine against the libtorch path on a random tiny model (4 heads, width 192), in the shapes the
 * official goldens (TinyAParityOrtTest) do not reach: padded texts, the absorbed cross-attention of few query rows,
 * texts sharing one image, and beam search with reordering.
 */
class OrtEngineTest {
    static final double TOL = 1e-4;
    static NDManager manager;
    static BlipModel model;
    static OrtEngine engine;

    @BeforeAll
    static void create() {
        manager = Engines.newManager(Engines.device("cpu"));
        BlipConfig cfg = ModelPresets.tiny(64, 300);
        model = ModelInitializer.create(cfg, EnumSet.allOf(Part.class), cfg.vision().hiddenSize(), manager, 7);
        engine = OrtEngine.attach(model, 1);
    }

    @AfterAll
    static void close() {
        model.close();
        manager.close();
    }

    /** Runs {@code f} once on ONNX Runtime and once on libtorch (engine detached meanwhile). */
    static float[][] both(java.util.function.Supplier<NDArray> f) {
        float[] ort = f.get().toType(DataType.FLOAT32, false).toFloatArray();
        model.useFrozenInference(null);
        try {
            return new float[][] {ort, f.get().toType(DataType.FLOAT32, false).toFloatArray()};
        } finally {
            engine = OrtEngine.attach(model, 1);
        }
    }

    static NDArray ids(NDManager m, int rows, int len) {
        return m.randomInteger(5, 290, new Shape(rows, len), DataType.INT64);
    }

    static NDArray paddedMask(NDManager m, int rows, int len) {
        long[] mask = new long[rows * len];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < len - r % 3; i++) {
                mask[r * len + i] = 1;
            }
        }
        return m.create(mask, new Shape(rows, len));
    }

    @Test
    void visionAndPaddedTextMatchLibtorch() {
        try (NDManager m = manager.newSubManager()) {
            NDArray pixels = m.randomNormal(new Shape(3, 3, 64, 64));
            float[][] v = both(() -> model.imageEmbeds(pixels, false));
            Golden.assertClose("image embeds", v[1], v[0], TOL);
            NDArray ids = ids(m, 4, 9);
            NDArray mask = paddedMask(m, 4, 9);
            float[][] t = both(() -> model.textHidden(ids, mask, false));
            Golden.assertClose("text hidden", t[1], t[0], TOL);
            // ITC reads [CLS] only: the engine's [CLS]-only text graph
            float[][] features = both(() -> model.textFeatures(ids, mask, false));
            Golden.assertClose("ITC text features", features[1], features[0], TOL);
        }
    }

    @Test
    void visionInSlicesEqualsOneRun() {
        try (NDManager m = manager.newSubManager()) {
            NDArray pixels = m.randomNormal(new Shape(5, 3, 64, 64));
            int tokens = model.config().vision().seqLength();
            float[] whole = engine.imageEmbeds(pixels, Integer.MAX_VALUE).toFloatArray();
            long runs = engine.runs();
            float[] slices = engine.imageEmbeds(pixels, 2 * tokens).toFloatArray();
            assertEquals(3, engine.runs() - runs, "5 images in runs of 2, 2 and 1");
            Golden.assertClose("image embeds in slices of 2", whole, slices, 1e-6);
        }
    }

    /** One text pass with image states: ids, mask, image embeddings → output. */
    interface GroundedPass {
        NDArray run(NDArray ids, NDArray mask, NDArray embeds);
    }

    /**
     * {@code pass} on both engines, in both ways the engine computes cross-attention: distinct pairs (4 heads · 9
     * tokens < width 192: absorbed) and 16 texts per image (4 · 16 · 9 > 192: keys/values projected once per image).
     */
    static void matchesLibtorchBothWays(String what, GroundedPass pass) {
        try (NDManager m = manager.newSubManager()) {
            NDArray embeds = m.randomNormal(new Shape(3, 17, 192));
            for (int textsPerImage : new int[] {1, 16}) {
                NDArray ids = ids(m, 3 * textsPerImage, 9);
                NDArray mask = paddedMask(m, 3 * textsPerImage, 9);
                float[][] out = both(() -> pass.run(ids, mask, embeds));
                Golden.assertClose(what + ", " + textsPerImage + " text(s) per image", out[1], out[0], TOL);
            }
        }
    }

    @Test
    void groundedEncoderMatchesLibtorchBothWays() {
        matchesLibtorchBothWays("grounded hidden", (ids, mask, embeds) -> model.groundedHidden(ids, mask, embeds,
                false));
    }

    @Test
    void itmLogitsMatchLibtorchBothWays() {
        matchesLibtorchBothWays("ITM logits", (ids, mask, embeds) -> model.itmLogits(ids, mask, embeds, false));
    }

    /** ITM's [CLS]-only graphs (the last layer computes one query row) against libtorch's whole pass, both ways. */
    @Test
    void clsOnlyGraphsMatchTheFirstRowOfTheWholePass() {
        matchesLibtorchBothWays("[CLS] hidden", (ids, mask, embeds) -> {
            var frozen = model.frozenInference();
            NDArray cls = frozen != null ? frozen.groundedCls(ids, mask, embeds)
                    : model.groundedHidden(ids, mask, embeds, false).get(":, 0, :");
            assertEquals(2, cls.getShape().dimension());
            return cls;
        });
    }

    /** {@code -Dblip4j.ort.arena}: only true or false, and without the arena the outputs are the same. */
    @Test
    void arenaSettingIsCheckedAndTurningItOffChangesNoOutput() {
        String before = System.getProperty("blip4j.ort.arena");
        try (NDManager m = manager.newSubManager()) {
            System.setProperty("blip4j.ort.arena", "maybe");
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    OrtSessions::arena);
            assertTrue(e.getMessage().contains("blip4j.ort.arena"), e.getMessage());
            NDArray pixels = m.randomNormal(new Shape(2, 3, 64, 64));
            System.clearProperty("blip4j.ort.arena");
            engine = OrtEngine.attach(model, 1);
            float[] withArena = model.imageEmbeds(pixels, false).toFloatArray();
            System.setProperty("blip4j.ort.arena", "false");
            engine = OrtEngine.attach(model, 1);
            float[] without = model.imageEmbeds(pixels, false).toFloatArray();
            assertTrue(engine.runs() > 0);
            Golden.assertClose("image embeds without the arena", withArena, without, 1e-6);
        } finally {
            if (before == null) {
                System.clearProperty("blip4j.ort.arena");
            } else {
                System.setProperty("blip4j.ort.arena", before);
            }
            engine = OrtEngine.attach(model, 1);
        }
    }

    /** int8 Linear layers: really quantised (outputs move), and close (relative error of the embeddings ≤ 5%). */
    @Test
    void int8StaysCloseToFloat() {
        try (NDManager m = manager.newSubManager()) {
            NDArray pixels = m.randomNormal(new Shape(2, 3, 64, 64));
            NDArray ids = ids(m, 2, 9);
            float[] img = model.imageEmbeds(pixels, false).toFloatArray();
            float[] txt = model.textHidden(ids, null, false).toFloatArray();
            OrtEngine.attach(model, 1, true);
            try {
                double imgErr = relativeError(img, model.imageEmbeds(pixels, false).toFloatArray());
                double txtErr = relativeError(txt, model.textHidden(ids, null, false).toFloatArray());
                System.out.printf("int8 relative error: image %.4f, text %.4f%n", imgErr, txtErr);
                assertTrue(imgErr > 1e-6 && imgErr < 0.05, "image embeds relative error " + imgErr);
                assertTrue(txtErr > 1e-6 && txtErr < 0.05, "text hidden relative error " + txtErr);
            } finally {
                engine = OrtEngine.attach(model, 1);
            }
        }
    }

    /** ‖a − b‖ / ‖a‖. */
    static double relativeError(float[] a, float[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (double) (a[i] - b[i]);
            den += a[i] * (double) a[i];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void beamSearchMatchesLibtorch() {
        try (NDManager m = manager.newSubManager()) {
            NDArray embeds = m.randomNormal(new Shape(2, 17, 192));
            long[] prompt = {298, 20, 21};
            GenerationOptions o = GenerationOptions.beam(3, 12, 5).withNumReturnSequences(3);
            long runsBefore = engine.runs();
            List<List<Hypothesis>> ort;
            try (DecoderStepProvider.DecoderSession step = DecoderStepProvider.open(model, embeds, null, 3, true)) {
                assertTrue(step instanceof OrtDecoderStep, "the attached engine decodes");
                ort = Generator.generate(step, prompt, 2, 102, 0, o, null);
            }
            assertTrue(engine.runs() > runsBefore);
            List<List<Hypothesis>> torch;
            try (DecoderStep step = new DecoderStep(model, embeds, null, 3, true)) {
                torch = Generator.generate(step, prompt, 2, 102, 0, o, null);
            }
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < 3; k++) {
                    assertArrayEquals(torch.get(i).get(k).tokens(), ort.get(i).get(k).tokens(), "image " + i);
                    assertEquals(torch.get(i).get(k).score(), ort.get(i).get(k).score(), 1e-4);
                }
            }
        }
    }
}
