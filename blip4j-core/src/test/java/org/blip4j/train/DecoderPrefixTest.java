package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.model.BlipModel;
import org.blip4j.model.LmLoss;
import org.blip4j.nn.Parameter;
import org.junit.jupiter.api.Test;

/**
 * The LM loss computed from the decoder's input without its last position ({@link LmLoss#prefix},
 * {@link LmLoss#meanOfPrefix}) equals the original's, which runs every position and drops the last logits
 * ({@code BertLMHeadModel.forward}): same loss, same gradients, up to float rounding.
 */
class DecoderPrefixTest {
    static final int B = 3;
    static final int LEN = 8;

    @Test
    void prefixGivesTheFullForwardsLossAndGradients() {
        Map<String, float[]> full = new LinkedHashMap<>();
        Map<String, float[]> prefix = new LinkedHashMap<>();
        float a = lmLoss(full, (model, in) -> LmLoss.mean(
                model.decoderLogits(in.ids, in.mask, in.images, null, null, false), in.labels, 0.1));
        float b = lmLoss(prefix, (model, in) -> LmLoss.meanOfPrefix(model.decoderLogits(LmLoss.prefix(in.ids),
                LmLoss.prefix(in.mask), in.images, null, null, false), in.labels, 0.1));
        assertTrue(Float.isFinite(a) && a > 0, "loss " + a);
        assertEquals(a, b, 1e-6 * a, "float rounding only");
        // the tiny model's 0.2 init makes attention sharp, which amplifies the rounding of the shorter products
        // to ~1e-4 (as in TrailingPaddingTest); droppingAnyOtherPositionChangesLossAndGradients shows a real change
        TrailingPaddingTest.assertClose(full, prefix, 2e-4);
        // the tied LM head and word embeddings are trained through the prefix
        String words = "text_encoder.embeddings.word_embeddings.weight"; // the decoder's, tied
        assertTrue(SharedCrossKeyValuesTest.norm(prefix.get(words)) > 1e-4);
    }

    @Test
    void droppingAnyOtherPositionChangesLossAndGradients() {
        Map<String, float[]> kept = new LinkedHashMap<>();
        Map<String, float[]> wrong = new LinkedHashMap<>();
        float a = lmLoss(kept, (model, in) -> LmLoss.meanOfPrefix(model.decoderLogits(LmLoss.prefix(in.ids),
                LmLoss.prefix(in.mask), in.images, null, null, false), in.labels, 0.1));
        // the same shapes, but position 2 removed instead of the last
        float b = lmLoss(wrong, (model, in) -> {
            NDArray columns = in.ids.getManager().create(new long[] {0, 1, 3, 4, 5, 6, 7});
            NDArray ids = in.ids.get(new NDIndex(":, {}", columns));
            return LmLoss.meanOfPrefix(model.decoderLogits(ids, LmLoss.prefix(in.mask), in.images, null, null,
                    false), in.labels, 0.1);
        });
        assertNotEquals(a, b, 1e-3 * a);
        double largest = 0;
        for (String k : kept.keySet()) {
            float[] g = kept.get(k);
            largest = Math.max(largest, SharedCrossKeyValuesTest.maxDiff(g, wrong.get(k))
                    / SharedCrossKeyValuesTest.scale(g));
        }
        assertTrue(largest > 100 * 2e-4, "a real change moves the gradients far beyond rounding: " + largest);
    }

    record Inputs(NDArray ids, NDArray mask, NDArray labels, NDArray images) {
    }

    interface Loss {
        NDArray of(BlipModel model, Inputs in);
    }

    /** One LM forward and backward on a tiny random model with one padded text; fills {@code gradients}. */
    static float lmLoss(Map<String, float[]> gradients, Loss loss) {
        float[] out = new float[1];
        ClsOnlyForwardTest.withModel((model, m) -> {
            List<Parameter> params = List.copyOf(model.parameters().parameters().values());
            Gradients.enable(params);
            Engine.getEngine("PyTorch").setRandomSeed(23);
            NDArray pixels = m.randomNormal(new Shape(B, 3, 32, 32));
            NDArray ids = m.randomInteger(5, 60, new Shape(B, LEN), DataType.INT64);
            ids.set(new NDIndex(":, 0"), (long) model.config().text().bosTokenId());
            NDArray mask = m.ones(new Shape(B, LEN), DataType.INT64);
            mask.set(new NDIndex("1, 5:"), 0L);
            ids = ids.mul(mask);
            long[] labels = CaptionObjective.labels(ids.toLongArray(), mask.toLongArray(), LEN, 1);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray embeds = model.imageEmbeds(pixels, false);
                NDArray l = loss.of(model, new Inputs(ids, mask, m.create(labels, new Shape(B, LEN)), embeds));
                out[0] = l.getFloat();
                gc.backward(l);
            }
            for (Map.Entry<String, Parameter> e : model.parameters().parameters().entrySet()) {
                gradients.put(e.getKey(), e.getValue().array().getGradient().toFloatArray());
            }
            return null;
        });
        return out[0];
    }
}
