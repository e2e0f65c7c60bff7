package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.engine.Engines;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipModel;
import org.blip4j.model.CrossKeyValues;
import org.blip4j.model.LmLoss;
import org.blip4j.model.ModelInitializer;
import org.blip4j.model.ModelPresets;
import org.blip4j.nn.Parameter;
import org.junit.jupiter.api.Test;

/**
 * ITM with hard negatives and the tied LM decoder reuse one projection of the images per cross-attention layer
 * ({@link CrossKeyValues}). Losses and every gradient equal the original formulation, which concatenates 3B image
 * sequences for ITM and projects them again for the LM (orig {@code models/blip_pretrain.py}).
 */
class SharedCrossKeyValuesTest {
    static final int B = 4;
    static final int LEN = 7;
    static final int[] NEG_IMAGE = {2, 0, 0, 1};
    static final int[] NEG_TEXT = {3, 3, 1, 0};

    @Test
    void sharedProjectionGivesTheOriginalLossesAndGradients() {
        Map<String, float[]> original = gradients(true, false);
        Map<String, float[]> shared = gradients(true, true);
        assertEquals(original.keySet(), shared.keySet());
        assertClose(original, shared);
        // the gradients through the shared projections are real: cross-attention keys/values and the ViT move
        assertTrue(norm(shared.get("text_encoder.encoder.layer.1.crossattention.self.key.weight")) > 1e-4);
        assertTrue(norm(shared.get("text_encoder.encoder.layer.0.crossattention.self.value.weight")) > 1e-4);
        assertTrue(norm(shared.get("vision_model.encoder.layers.0.mlp.fc1.weight")) > 1e-4);
    }

    @Test
    void untiedDecoderProjectsTheImagesWithItsOwnWeights() {
        Map<String, float[]> original = gradients(false, false);
        Map<String, float[]> shared = gradients(false, true);
        assertClose(original, shared);
        assertTrue(norm(shared.get("text_decoder.bert.encoder.layer.0.crossattention.self.key.weight")) > 1e-4);
    }

    /** Gradients of ITM + LM (and the loss itself, under "loss") on a tiny random model, no dropout. */
    static Map<String, float[]> gradients(boolean tied, boolean shared) {
        BlipConfig cfg = ModelPresets.tiny(32, 64);
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager manager = Engines.newManager(Engines.device("cpu"));
             BlipModel model = new BlipModel(cfg, TrainingTask.PRETRAIN.parts, cfg.text().encoderHiddenSize(), manager,
                     tied)) {
            ModelInitializer.initialize(model.parameters(), manager, 0.2, 3);
            List<Parameter> params = List.copyOf(model.parameters().parameters().values());
            Gradients.enable(params);
            try (NDManager m = manager.newSubManager()) {
                Engine.getEngine("PyTorch").setRandomSeed(17);
                NDArray pixels = m.randomNormal(new Shape(B, 3, 32, 32));
                NDArray ids = m.randomInteger(5, 60, new Shape(B, LEN), DataType.INT64);
                NDArray mask = m.ones(new Shape(B, LEN), DataType.INT64);
                mask.set(new NDIndex("1, 5:"), 0L); // a padded text, so the gathered masks matter
                NDArray decIds = ids.duplicate();
                decIds.set(new NDIndex(":, 0"), (long) cfg.text().bosTokenId());
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray embeds = model.imageEmbeds(pixels, false);
                    NDArray loss = shared ? sharedLoss(model, embeds, ids, decIds, mask)
                            : originalLoss(model, embeds, ids, decIds, mask);
                    out.put("loss", new float[] {loss.getFloat()});
                    gc.backward(loss);
                }
            }
            for (Map.Entry<String, Parameter> e : model.parameters().parameters().entrySet()) {
                out.put(e.getKey(), e.getValue().array().getGradient().toFloatArray());
            }
        }
        return out;
    }

    static NDArray sharedLoss(BlipModel model, NDArray embeds, NDArray ids, NDArray decIds, NDArray mask) {
        CrossKeyValues images = model.imageKeyValues(embeds);
        int[] calls = {0};
        NegativeSampler fixed = w -> (calls[0]++ == 0 ? NEG_IMAGE : NEG_TEXT).clone();
        float[][] unused = new float[B][B];
        NDArray itm = MatchingLoss.compute(model, ids, mask, images, unused, unused, fixed, false).loss();
        NDArray lm = LmLoss.mean(model.decoderLogits(decIds, mask, images, false), decIds, 0.1);
        return itm.add(lm);
    }

    /** The original: 3B image sequences concatenated for ITM, the LM projecting the images again. */
    static NDArray originalLoss(BlipModel model, NDArray embeds, NDArray ids, NDArray decIds, NDArray mask) {
        NDManager m = ids.getManager();
        NDArray negImage = m.create(MatchingLoss.toLong(NEG_IMAGE));
        NDArray negText = m.create(MatchingLoss.toLong(NEG_TEXT));
        NDArray idsAll = NDArrays.concat(new NDList(ids, ids, ids.get(negText)), 0);
        NDArray masksAll = NDArrays.concat(new NDList(mask, mask, mask.get(negText)), 0);
        NDArray imagesAll = NDArrays.concat(new NDList(embeds, embeds.get(negImage), embeds), 0);
        long[] labels = new long[3 * B];
        java.util.Arrays.fill(labels, 0, B, 1);
        NDArray itm = MatchingLoss.crossEntropy(model.itmLogits(idsAll, masksAll, imagesAll, false), m.create(labels));
        NDArray lm = LmLoss.mean(model.decoderLogits(decIds, mask, embeds, null, null, false), decIds, 0.1);
        return itm.add(lm);
    }

    /** Every gradient within 1e-5 of the original, relative to that tensor's largest entry (at least 1). */
    static void assertClose(Map<String, float[]> original, Map<String, float[]> shared) {
        assertClose(original, shared, 1e-5);
    }

    /** Every gradient within {@code tolerance} of the expected one, relative to {@link #scale} of the expected. */
    static void assertClose(Map<String, float[]> expected, Map<String, float[]> actual, double tolerance) {
        for (String k : expected.keySet()) {
            float[] e = expected.get(k);
            double diff = maxDiff(e, actual.get(k));
            assertTrue(diff <= tolerance * scale(e), k + ": max |grad diff| " + diff + " (largest |grad| " + scale(e)
                    + ")");
        }
    }

    /** The largest |entry| of a gradient, at least 1: what the tolerances above are relative to. */
    static double scale(float[] g) {
        double scale = 1;
        for (float v : g) {
            scale = Math.max(scale, Math.abs(v));
        }
        return scale;
    }

    static double maxDiff(float[] a, float[] b) {
        double w = 0;
        for (int i = 0; i < a.length; i++) {
            w = Math.max(w, Math.abs(a[i] - b[i]));
        }
        return w;
    }

    static double norm(float[] g) {
        double s = 0;
        for (float v : g) {
            s += v * v;
        }
        return Math.sqrt(s);
    }
}
