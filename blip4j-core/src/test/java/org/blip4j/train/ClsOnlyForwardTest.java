package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.blip4j.engine.Engines;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipModel;
import org.blip4j.model.CrossKeyValues;
import org.blip4j.model.ModelInitializer;
import org.blip4j.model.ModelPresets;
import org.blip4j.model.TextMode;
import org.blip4j.model.TextTransformer;
import org.blip4j.model.VisionTransformer;
import org.blip4j.nn.Parameter;
import org.junit.jupiter.api.Test;

/**
 * ITC and ITM read only the [CLS] row of the last layer, so {@link TextTransformer#forwardCls} and
 * {@link VisionTransformer#forwardCls} compute that one row in the last layer. Outputs and every gradient must equal
 * the full forward's first row.
 */
class ClsOnlyForwardTest {
    static final int B = 4;
    static final int LEN = 7;
    static final long[] IMAGE_ROW = {0, 0, 2, 1, 2}; // five texts over three images, as ITM negatives share them

    @Test
    void textModesGiveTheFullForwardsFirstRow() {
        withModel((model, m) -> {
            NDArray ids = ids(m, B);
            NDArray mask = mask(m, B);
            NDArray images = model.imageEmbeds(m.randomNormal(new Shape(3, 3, 32, 32)), false);
            TextTransformer text = model.textEncoder();
            assertFirstRowEquals(text.forward(ids, mask, TextMode.TEXT, null, null, null, false),
                    text.forwardCls(ids, mask, TextMode.TEXT, null, null, false));
            NDArray idsG = ids.get("0:3");
            NDArray maskG = mask.get("0:3");
            assertFirstRowEquals(text.forward(idsG, maskG, TextMode.GROUNDED_ENCODER, images, null, null, false),
                    text.forwardCls(idsG, maskG, TextMode.GROUNDED_ENCODER, images, null, false));
            // causal: the first row's mask row is sliced out of the (B, 1, L, L) mask
            assertFirstRowEquals(model.textDecoder().forward(idsG, maskG, TextMode.DECODER, images, null, null, false),
                    model.textDecoder().forwardCls(idsG, maskG, TextMode.DECODER, images, null, false));
            // projected keys/values shared by several texts per image
            NDArray ids5 = ids(m, IMAGE_ROW.length);
            NDArray mask5 = mask(m, IMAGE_ROW.length);
            NDArray byRow = images.get(m.create(IMAGE_ROW));
            assertFirstRowEquals(text.forward(ids5, mask5, TextMode.GROUNDED_ENCODER, byRow, null, null, false),
                    text.forwardCls(ids5, mask5, TextMode.GROUNDED_ENCODER, null,
                            model.imageKeyValues(images).rows(IMAGE_ROW), false));
            return null;
        });
    }

    @Test
    void visionGivesTheFullForwardsFirstRow() {
        withModel((model, m) -> {
            NDArray pixels = m.randomNormal(new Shape(B, 3, 32, 32));
            assertFirstRowEquals(model.vision().forward(pixels, false), model.vision().forwardCls(pixels, false));
            return null;
        });
    }

    @Test
    void gradientsEqualTheFullForwards() {
        Map<String, float[]> full = gradients(false);
        Map<String, float[]> cls = gradients(true);
        assertEquals(full.keySet(), cls.keySet());
        SharedCrossKeyValuesTest.assertClose(full, cls);
        long moved = full.values().stream().filter(g -> SharedCrossKeyValuesTest.norm(g) > 1e-6).count();
        // the last layers' feed-forward weights get gradient through the one row that is kept
        assertTrue(SharedCrossKeyValuesTest.norm(cls.get("text_encoder.encoder.layer.3.output.dense.weight")) > 1e-6);
        assertTrue(SharedCrossKeyValuesTest.norm(cls.get("vision_model.encoder.layers.3.mlp.fc2.weight")) > 1e-6);
        assertTrue(moved > 20, moved + " parameters with gradient");
    }

    /** Gradients of a fixed linear read-out of the [CLS] rows: unimodal text, grounded text (shared keys/values), image. */
    static Map<String, float[]> gradients(boolean clsOnly) {
        Map<String, float[]> out = new LinkedHashMap<>();
        withModel((model, m) -> {
            List<Parameter> params = List.copyOf(model.parameters().parameters().values());
            Gradients.enable(params);
            Engine.getEngine("PyTorch").setRandomSeed(23);
            NDArray pixels = m.randomNormal(new Shape(3, 3, 32, 32));
            NDArray ids = ids(m, IMAGE_ROW.length);
            NDArray mask = mask(m, IMAGE_ROW.length);
            TextTransformer text = model.textEncoder();
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray embeds = model.imageEmbeds(pixels, false);
                CrossKeyValues kv = model.imageKeyValues(embeds).rows(IMAGE_ROW);
                NDArray unimodal = clsOnly ? text.forwardCls(ids, mask, TextMode.TEXT, null, null, false)
                        : first(text.forward(ids, mask, TextMode.TEXT, null, null, null, false));
                NDArray grounded = clsOnly ? text.forwardCls(ids, mask, TextMode.GROUNDED_ENCODER, null, kv, false)
                        : first(text.forward(ids, mask, TextMode.GROUNDED_ENCODER, kv, false));
                NDArray image = clsOnly ? model.vision().forwardCls(pixels, false)
                        : first(model.vision().forward(pixels, false));
                NDArray loss = readOut(unimodal, 1).add(readOut(grounded, 2)).add(readOut(image, 3));
                gc.backward(loss);
            }
            for (Map.Entry<String, Parameter> e : model.parameters().parameters().entrySet()) {
                NDArray g = e.getValue().array().getGradient();
                out.put(e.getKey(), g.toFloatArray());
            }
            return null;
        });
        return out;
    }

    /** Σ x ⊙ w for a fixed pseudo-random w, so every entry of the row matters. */
    static NDArray readOut(NDArray x, int seed) {
        float[] w = new float[(int) x.size()];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) r.nextGaussian();
        }
        return x.mul(x.getManager().create(w, x.getShape())).sum();
    }

    static NDArray first(NDArray seq) {
        return seq.get(":, 0, :");
    }

    static void assertFirstRowEquals(NDArray fullSeq, NDArray cls) {
        NDArray expected = first(fullSeq);
        assertArrayEquals(expected.getShape().getShape(), cls.getShape().getShape());
        float[] a = expected.toFloatArray();
        float[] b = cls.toFloatArray();
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
        }
        assertTrue(diff < 1e-5, "max |diff| " + diff);
    }

    static NDArray ids(NDManager m, int rows) {
        return m.randomInteger(5, 60, new Shape(rows, LEN), DataType.INT64);
    }

    static NDArray mask(NDManager m, int rows) {
        NDArray mask = m.ones(new Shape(rows, LEN), DataType.INT64);
        mask.set(new NDIndex("1, 5:"), 0L); // a padded text
        return mask;
    }

    /** A tiny random pre-training model (tied decoder) and a scope for the test's arrays. */
    static void withModel(BiFunction<BlipModel, NDManager, Void> body) {
        BlipConfig cfg = ModelPresets.tiny(32, 64);
        try (NDManager manager = Engines.newManager(Engines.device("cpu"));
             BlipModel model = new BlipModel(cfg, TrainingTask.PRETRAIN.parts, cfg.text().encoderHiddenSize(), manager,
                     true)) {
            ModelInitializer.initialize(model.parameters(), manager, 0.2, 3);
            try (NDManager m = manager.newSubManager()) {
                body.apply(model, m);
            }
        }
    }
}
