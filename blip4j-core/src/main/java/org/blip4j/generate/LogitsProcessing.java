package org.blip4j.generate;

import java.util.Arrays;

/** transformers-4.15 logits processors and warpers, on one row of scores. */
final class LogitsProcessing {
    private LogitsProcessing() {
    }

    /** RepetitionPenaltyLogitsProcessor: every token already in the row is divided (positive) or multiplied. */
    static void repetitionPenalty(float[] scores, long[] tokens, int length, double penalty) {
        if (penalty == 1.0) {
            return;
        }
        boolean[] seen = new boolean[scores.length];
        for (int i = 0; i < length; i++) {
            int t = (int) tokens[i];
            if (t >= 0 && t < scores.length && !seen[t]) {
                seen[t] = true;
                float s = scores[t];
                scores[t] = (float) (s < 0 ? s * penalty : s / penalty);
            }
        }
    }

    /** MinLengthLogitsProcessor: EOS forbidden while the sequence is shorter than min_length. */
    static void minLength(float[] scores, int curLen, int minLength, int eos, boolean suppressEos) {
        if (suppressEos || curLen < minLength) {
            scores[eos] = Float.NEGATIVE_INFINITY;
        }
    }

    /** log_softmax in float like torch (max-shifted, log of summed exponentials). */
    static float[] logSoftmax(float[] x) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : x) {
            sum += Math.exp(v - max);
        }
        float lse = (float) (max + Math.log(sum));
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] - lse;
        }
        return out;
    }

    /** TopKLogitsWarper: scores below the k-th largest become −inf. */
    static void topK(float[] scores, int k) {
        if (k <= 0 || k >= scores.length) {
            return;
        }
        float[] sorted = scores.clone();
        Arrays.sort(sorted);
        float kth = sorted[sorted.length - k];
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] < kth) {
                scores[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** TopPLogitsWarper: keep the smallest set of most likely tokens whose mass reaches p (at least one). */
    static void topP(float[] scores, double p) {
        if (p >= 1.0) {
            return;
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // stable descending sort, as torch.sort on CPU keeps equal elements in index order
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        float max = scores[order[0]];
        double total = 0;
        double[] e = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            e[i] = Math.exp(scores[order[i]] - max);
            total += e[i];
        }
        double cum = 0;
        boolean removeNext = false;
        for (int i = 0; i < order.length; i++) {
            // token i is removed when the mass *before* it already exceeds p (shifted mask); the first is kept
            if (i > 0 && removeNext) {
                scores[order[i]] = Float.NEGATIVE_INFINITY;
            }
            cum += e[i] / total;
            removeNext = cum > p;
        }
    }

    static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }
}
