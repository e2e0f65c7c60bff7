package org.blip4j.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * transformers-4.15 sample(): processors (repetition penalty, min length) on raw logits, then warpers
 * (temperature, top-k, top-p), softmax and one draw per row. Draws use a per-row Java RNG, so a seed reproduces a
 * caption regardless of batch size or thread count.
 */
public final class NucleusSampler {
    private NucleusSampler() {
    }

    /** The seed of row {@code index} derived from a base seed (SplitMix64 finaliser: well-spread streams). */
    public static long rowSeed(long base, long index) {
        long z = base + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static List<List<Hypothesis>> run(StepFunction step, long[] prompt, int inputs, int eos, int pad,
            GenerationOptions o, long[] rowSeeds) {
        int n = o.numReturnSequences();
        int rows = inputs * n;
        if (rowSeeds != null && rowSeeds.length != rows) {
            throw new IllegalArgumentException("need one seed per row (" + rows + "), got " + rowSeeds.length);
        }
        SplittableRandom[] rng = new SplittableRandom[rows];
        for (int r = 0; r < rows; r++) {
            rng[r] = new SplittableRandom(rowSeeds != null ? rowSeeds[r] : rowSeed(o.seed(), r));
        }
        // warpers act on the processed scores after the model's log-probabilities were taken from them
        return PerRowDecodingLoop.run(step, prompt, inputs, n, eos, pad, o, (row, scores) -> {
            if (o.temperature() != 1.0) {
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = (float) (scores[i] / o.temperature());
                }
            }
            LogitsProcessing.topK(scores, o.topK());
            LogitsProcessing.topP(scores, o.topP());
            return draw(scores, rng[row]);
        });
    }

    /** One draw from softmax(scores) (−inf entries have probability 0). */
    static int draw(float[] scores, SplittableRandom rng) {
        float max = Float.NEGATIVE_INFINITY;
        for (float s : scores) {
            max = Math.max(max, s);
        }
        double total = 0;
        double[] p = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            p[i] = scores[i] == Float.NEGATIVE_INFINITY ? 0 : Math.exp(scores[i] - max);
            total += p[i];
        }
        double u = rng.nextDouble() * total;
        double cum = 0;
        int last = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                cum += p[i];
                last = i;
                if (u < cum) {
                    return i;
                }
            }
        }
        return last;
    }
}
