package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Random;
import org.blip4j.nn.Parameter;
import org.junit.jupiter.api.Test;

/**
 * Pre-training texts padded only to the batch's longest text ({@link TrainingStep#TEXT_PADDING}) train the same
 * model as the original's padding to max_length: nothing in the padding reaches a loss or a gradient, and dropping
 * the all-padding columns changes losses and gradients only by float rounding.
 */
class TrailingPaddingTest {
    static final int B = 4;
    static final int LONGEST = 6;
    static final int MAX_LENGTH = 11;
    static final String POSITIONS = "text_encoder.embeddings.position_embeddings.weight";

    @Test
    void whatThePaddingHoldsReachesNoLossAndNoGradient() {
        Map<String, float[]> zeros = new LinkedHashMap<>();
        Map<String, float[]> garbage = new LinkedHashMap<>();
        float[] a = step(MAX_LENGTH, false, zeros);
        float[] b = step(MAX_LENGTH, true, garbage);
        for (int i = 0; i < 3; i++) {
            assertEquals(a[i], b[i], 1e-6, "loss " + i);
        }
        assertClose(zeros, garbage, 1e-6);
        // positions that are padding in every row get no gradient at all
        float[] pos = zeros.get(POSITIONS);
        int h = pos.length / 64;
        for (int i = LONGEST * h; i < MAX_LENGTH * h; i++) {
            assertEquals(0f, pos[i], 0f, "position " + i / h + " is padding everywhere");
        }
    }

    @Test
    void droppingAllPaddingColumnsChangesOnlyRounding() {
        Map<String, float[]> padded = new LinkedHashMap<>();
        Map<String, float[]> trimmed = new LinkedHashMap<>();
        float[] a = step(MAX_LENGTH, false, padded);
        float[] b = step(LONGEST, false, trimmed);
        for (int i = 0; i < 3; i++) {
            assertTrue(Float.isFinite(a[i]) && a[i] > 0, "loss " + i + " " + a[i]);
            assertEquals(a[i], b[i], 1e-5, "loss " + i);
        }
        // the tiny model's 0.2 init makes attention sharp; rounding of the shorter sums then reaches ~3e-5
        assertClose(padded, trimmed, 1e-4);
        long moved = padded.values().stream().filter(g -> SharedCrossKeyValuesTest.norm(g) > 1e-6).count();
        assertTrue(moved > 40, moved + " parameters with gradient");
    }

    static void assertClose(Map<String, float[]> expected, Map<String, float[]> actual, double tolerance) {
        assertEquals(expected.keySet(), actual.keySet());
        SharedCrossKeyValuesTest.assertClose(expected, actual, tolerance);
    }

    /**
     * One pre-training forward and backward over texts of {@code length} columns (every text ends by column
     * LONGEST, one earlier); {@code garbage}: the padding holds random ids instead of [PAD]. Returns the ITC, ITM and
     * LM losses and fills {@code gradients}.
     */
    static float[] step(int length, boolean garbage, Map<String, float[]> gradients) {
        float[] losses = new float[3];
        ClsOnlyForwardTest.withModel((model, m) -> {
            List<Parameter> params = List.copyOf(model.parameters().parameters().values());
            Gradients.enable(params);
            Engine.getEngine("PyTorch").setRandomSeed(5);
            NDArray pixels = m.randomNormal(new Shape(B, 3, 32, 32));
            NDArray words = m.randomInteger(5, 60, new Shape(B, MAX_LENGTH), DataType.INT64);
            NDArray filler = m.randomInteger(5, 60, new Shape(B, MAX_LENGTH), DataType.INT64);
            NDArray mask = m.ones(new Shape(B, MAX_LENGTH), DataType.INT64);
            mask.set(new NDIndex(":, " + LONGEST + ":"), 0L);
            mask.set(new NDIndex("2, 3:"), 0L);
            NDArray padding = garbage ? filler.mul(mask.neg().add(1)) : words.zerosLike(); // [PAD] is id 0
            NDArray full = words.mul(mask).add(padding);
            NDArray ids = full.get(":, :" + length);
            NDArray msk = mask.get(":, :" + length);
            NDArray enc = ids.duplicate();
            enc.set(new NDIndex(":, 0"), 2L);
            NDArray dec = ids.duplicate();
            dec.set(new NDIndex(":, 0"), 1L);
            long[] labels = CaptionObjective.labels(dec.toLongArray(), msk.toLongArray(), length, 0);
            NDArray lab = m.create(labels, new Shape(B, length));
            try (MomentumModel momentum = new MomentumModel(model, 0.995, m);
                 FeatureQueue queue = FeatureQueue.random(m, model.config().imageTextHiddenSize(), 8);
                 GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                PretrainObjective.Output o = PretrainObjective.forward(model, momentum.model(), queue, pixels, ids,
                        enc, dec, msk, lab, 0.4, 0.1, NegativeSampler.multinomial(new Random(9)), false);
                losses[0] = o.lossItc().getFloat();
                losses[1] = o.lossItm().getFloat();
                losses[2] = o.lossLm().getFloat();
                gc.backward(o.total());
            }
            for (Map.Entry<String, Parameter> e : model.parameters().parameters().entrySet()) {
                gradients.put(e.getKey(), e.getValue().array().getGradient().toFloatArray());
            }
            return null;
        });
        return losses;
    }
}
