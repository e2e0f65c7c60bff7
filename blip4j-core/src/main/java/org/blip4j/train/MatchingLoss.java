package org.blip4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.blip4j.model.BlipModel;
import org.blip4j.model.CrossKeyValues;

/**
 * ITM with hard negatives (orig {@code BLIP_Pretrain.forward} and {@code BLIP_Retrieval.forward}; paper §3.2): B
 * positive pairs, B (negative image, text) and B (image, negative text) pairs through the image-grounded encoder;
 * cross-entropy of the ITM head over all 3B.
 */
public final class MatchingLoss {
    private MatchingLoss() {
    }

    /** Result: the loss and the 3B×2 logits (rows: positives, negative images, negative texts). */
    public record Result(NDArray loss, NDArray logits, int[] negImageForText, int[] negTextForImage) {
    }

    /**
     * Sampling weights from a similarity matrix: softmax per row, plus {@code floor}, with entries where
     * {@code forbidden} is true set to 0 (the diagonal in pre-training; same image id in retrieval).
     * <p>Without a floor, a forbidden entry that dominates its row (a sharp temperature) can underflow every allowed
     * weight to 0, where torch.multinomial would fail; such a row falls back to weights relative to its largest
     * allowed logit, which is the same distribution (the sampler normalises) without the underflow.
     */
    public static float[][] weights(NDArray sim, boolean[][] forbidden, float floor) {
        float[] w = sim.softmax(1).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        int rows = (int) sim.getShape().get(0);
        int cols = (int) sim.getShape().get(1);
        float[] s = null;
        float[][] out = new float[rows][cols];
        for (int i = 0; i < rows; i++) {
            double allowed = 0;
            for (int j = 0; j < cols; j++) {
                out[i][j] = forbidden[i][j] ? 0f : w[i * cols + j] + floor;
                allowed += out[i][j];
            }
            if (allowed == 0) {
                s = s != null ? s : sim.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
                relativeToAllowedMax(s, i, cols, forbidden[i], out[i]);
            }
        }
        return out;
    }

    private static void relativeToAllowedMax(float[] s, int row, int cols, boolean[] forbidden, float[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            if (!forbidden[j]) {
                max = Math.max(max, s[row * cols + j]);
            }
        }
        for (int j = 0; j < cols; j++) {
            out[j] = forbidden[j] ? 0f : (float) Math.exp(s[row * cols + j] - max);
        }
    }

    public static boolean[][] diagonal(int n) {
        boolean[][] f = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            f[i][i] = true;
        }
        return f;
    }

    public static boolean[][] sameId(long[] ids) {
        boolean[][] f = new boolean[ids.length][ids.length];
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < ids.length; j++) {
                f[i][j] = ids[i] == ids[j];
            }
        }
        return f;
    }

    /**
     * @param encIds (B, L) ids with [ENC] in column 0; @param mask (B, L)
     * @param imageEmbeds (B, N, D) online image embeddings (negatives carry gradient too)
     * @param weightsT2i per text, weights over images; @param weightsI2t per image, weights over texts
     */
    public static Result compute(BlipModel model, NDArray encIds, NDArray mask, NDArray imageEmbeds,
            float[][] weightsT2i, float[][] weightsI2t, NegativeSampler sampler, boolean training) {
        return compute(model, encIds, mask, model.imageKeyValues(imageEmbeds), weightsT2i, weightsI2t, sampler,
                training);
    }

    /**
     * As above with the images' cross-attention keys/values already projected (B encoder rows): the 3B pairs
     * share them instead of projecting 3B image sequences per layer.
     */
    public static Result compute(BlipModel model, NDArray encIds, NDArray mask, CrossKeyValues images,
            float[][] weightsT2i, float[][] weightsI2t, NegativeSampler sampler, boolean training) {
        NDManager m = encIds.getManager();
        int b = (int) encIds.getShape().get(0);
        int[] negImage = sampler.choose(weightsT2i);
        int[] negText = sampler.choose(weightsI2t);
        NDArray negTextIdx = m.create(toLong(negText));
        NDArray textsNeg = encIds.get(negTextIdx);
        NDArray masksNeg = mask.get(negTextIdx);
        NDArray idsAll = NDArrays.concat(new NDList(encIds, encIds, textsNeg), 0);
        NDArray masksAll = NDArrays.concat(new NDList(mask, mask, masksNeg), 0);
        // image row of each pair: positives, negative images, positives again (paired with the negative texts)
        long[] imageRows = new long[3 * b];
        for (int i = 0; i < b; i++) {
            imageRows[i] = i;
            imageRows[b + i] = negImage[i];
            imageRows[2 * b + i] = i;
        }
        NDArray logits = model.itmLogits(idsAll, masksAll, images.rows(imageRows), training);
        long[] labels = new long[3 * b];
        java.util.Arrays.fill(labels, 0, b, 1);
        NDArray target = m.create(labels, new Shape(3 * b));
        NDArray loss = crossEntropy(logits, target);
        return new Result(loss, logits, negImage, negText);
    }

    /** Mean cross-entropy of (N, C) logits against (N) class ids. */
    public static NDArray crossEntropy(NDArray logits, NDArray target) {
        NDArray logp = logits.logSoftmax(1);
        return logp.gather(target.toType(DataType.INT64, false).reshape(-1, 1), 1).neg().mean();
    }

    static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
