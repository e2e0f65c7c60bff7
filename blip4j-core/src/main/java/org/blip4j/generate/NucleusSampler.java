package org.blip4j.generate;

import java.util.ArrayList;
import java.util.Arrays;
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
        long[][] seqs = Generator.promptRows(prompt, rows, o.maxLength());
        int curLen = prompt.length;
        boolean[] finished = new boolean[rows];
        int[] lengths = new int[rows];
        double[] sumLogp = new double[rows];
        long[][] feed = Generator.firstFeed(prompt, rows);
        while (true) {
            float[][] logits = step.step(feed);
            feed = new long[rows][1];
            boolean allDone = true;
            for (int r = 0; r < rows; r++) {
                long next = pad;
                if (!finished[r]) {
                    float[] scores = logits[r].clone();
                    LogitsProcessing.repetitionPenalty(scores, seqs[r], curLen, o.repetitionPenalty());
                    LogitsProcessing.minLength(scores, curLen, o.minLength(), eos, o.suppressEos());
                    float[] modelLogp = LogitsProcessing.logSoftmax(scores);
                    if (o.temperature() != 1.0) {
                        for (int i = 0; i < scores.length; i++) {
                            scores[i] = (float) (scores[i] / o.temperature());
                        }
                    }
                    LogitsProcessing.topK(scores, o.topK());
                    LogitsProcessing.topP(scores, o.topP());
                    int token = draw(scores, rng[r]);
                    sumLogp[r] += modelLogp[token];
                    next = token;
                    if (token == eos) {
                        finished[r] = true;
                        lengths[r] = curLen;
                    }
                }
                seqs[r][curLen] = next;
                feed[r][0] = next;
                allDone &= finished[r];
            }
            curLen++;
            if (allDone || curLen >= o.maxLength()) {
                break;
            }
        }
        List<List<Hypothesis>> out = new ArrayList<>();
        for (int b = 0; b < inputs; b++) {
            List<Hypothesis> samples = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                int r = b * n + j;
                int len = finished[r] ? lengths[r] : curLen;
                long[] tokens = Arrays.copyOf(seqs[r], finished[r] ? len + 1 : len);
                samples.add(new Hypothesis(tokens, sumLogp[r] / Math.pow(len, o.lengthPenalty())));
            }
            out.add(samples);
        }
        return out;
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
