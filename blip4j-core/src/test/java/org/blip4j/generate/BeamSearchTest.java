package org.blip4j.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Beam search against exhaustive enumeration, and its agreement with greedy at one beam (engine-free). */
class BeamSearchTest {
    static final int EOS = 0;
    static final int PAD = 9;

    /** Best length-normalised sequence over every possible continuation (score = Σ log p / len, EOS excluded). */
    static Hypothesis bruteForce(ToyLanguageModel lm, long[] prompt, int maxLength, double lengthPenalty) {
        Hypothesis[] best = {null};
        search(lm, prompt, 0.0, maxLength, lengthPenalty, best);
        return best[0];
    }

    static void search(ToyLanguageModel lm, long[] prefix, double sum, int maxLength, double lp, Hypothesis[] best) {
        if (prefix.length >= maxLength) {
            consider(best, prefix, sum / Math.pow(prefix.length, lp));
            return;
        }
        float[] logp = LogitsProcessing.logSoftmax(lm.logitsOf(prefix));
        for (int t = 0; t < lm.vocab; t++) {
            double s = sum + logp[t];
            if (t == EOS) {
                long[] withEos = Arrays.copyOf(prefix, prefix.length + 1);
                withEos[prefix.length] = EOS;
                consider(best, withEos, s / Math.pow(prefix.length, lp));
            } else {
                long[] next = Arrays.copyOf(prefix, prefix.length + 1);
                next[prefix.length] = t;
                search(lm, next, s, maxLength, lp, best);
            }
        }
    }

    static void consider(Hypothesis[] best, long[] tokens, double score) {
        if (best[0] == null || score > best[0].score()) {
            best[0] = new Hypothesis(tokens, score);
        }
    }

    @Test
    void wideBeamFindsTheExhaustiveOptimum() {
        long[] prompt = {5};
        int maxLength = 5;
        for (long salt = 1; salt <= 20; salt++) {
            for (double lp : new double[] {1.0, 0.0, 2.0}) {
                ToyLanguageModel lm = new ToyLanguageModel(4, salt);
                Hypothesis expected = bruteForce(lm, prompt, maxLength, lp);
                GenerationOptions o = GenerationOptions.beam(128, maxLength, 0).withLengthPenalty(lp, false);
                Hypothesis got = Generator.generate(new ToyLanguageModel(4, salt), prompt, 1, EOS, PAD, o, null)
                        .get(0).get(0);
                long[] want = expected.tokens();
                if (want.length < maxLength && want[want.length - 1] != EOS) {
                    fail(salt);
                }
                assertArrayEquals(want, got.tokens(), "salt " + salt + " lp " + lp);
                assertEquals(expected.score(), got.score(), 1e-5, "salt " + salt + " lp " + lp);
            }
        }
    }

    private static void fail(long salt) {
        throw new AssertionError("brute force produced an unfinished short sequence (salt " + salt + ")");
    }

    @Test
    void oneBeamEqualsGreedy() {
        long[] prompt = {5, 3};
        for (long salt = 1; salt <= 30; salt++) {
            for (int minLength : new int[] {0, 4}) {
                List<Hypothesis> greedy = Generator.generate(new ToyLanguageModel(8, salt), prompt, 1, EOS, PAD,
                        GenerationOptions.greedy(9, minLength), null).get(0);
                List<Hypothesis> beam = Generator.generate(new ToyLanguageModel(8, salt), prompt, 1, EOS, PAD,
                        GenerationOptions.beam(1, 9, minLength), null).get(0);
                assertArrayEquals(greedy.get(0).tokens(), beam.get(0).tokens(), "salt " + salt);
            }
        }
    }

    @Test
    void topPNearZeroEqualsGreedyAndSeedsReproduce() {
        long[] prompt = {5};
        for (long salt = 1; salt <= 10; salt++) {
            long[] greedy = Generator.generate(new ToyLanguageModel(8, salt), prompt, 2, EOS, PAD,
                    GenerationOptions.greedy(10, 2), null).get(1).get(0).tokens();
            GenerationOptions sample = GenerationOptions.nucleus(0.0, 10, 2, 42).withRepetitionPenalty(1.0);
            long[] sampled = Generator.generate(new ToyLanguageModel(8, salt), prompt, 2, EOS, PAD, sample, null)
                    .get(1).get(0).tokens();
            assertArrayEquals(greedy, sampled);
            GenerationOptions wide = GenerationOptions.nucleus(0.9, 10, 2, 7).withNumReturnSequences(3);
            var a = Generator.generate(new ToyLanguageModel(8, salt), prompt, 2, EOS, PAD, wide, null);
            var b = Generator.generate(new ToyLanguageModel(8, salt), prompt, 2, EOS, PAD, wide, null);
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 3; j++) {
                    assertArrayEquals(a.get(i).get(j).tokens(), b.get(i).get(j).tokens());
                }
            }
        }
    }

    @Test
    void samplingVariesWithTheSeed() {
        long[] prompt = {5};
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            GenerationOptions o = GenerationOptions.nucleus(0.95, 10, 2, seed).withRepetitionPenalty(1.0);
            distinct.add(Arrays.toString(Generator.generate(new ToyLanguageModel(8, 3), prompt, 1, EOS, PAD, o, null)
                    .get(0).get(0).tokens()));
        }
        org.junit.jupiter.api.Assertions.assertTrue(distinct.size() > 5, "only " + distinct.size() + " distinct samples");
    }

    @Test
    void topPKeepsTheSmallestNucleus() {
        float[] scores = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15), (float) Math.log(0.05)};
        float[] s = scores.clone();
        LogitsProcessing.topP(s, 0.75);
        // 0.5 < 0.75 → keep next; 0.8 > 0.75 → drop the rest
        assertEquals(Float.NEGATIVE_INFINITY, s[2]);
        assertEquals(Float.NEGATIVE_INFINITY, s[3]);
        assertEquals(scores[1], s[1]);
        float[] k = scores.clone();
        LogitsProcessing.topK(k, 2);
        assertEquals(Float.NEGATIVE_INFINITY, k[2]);
        assertEquals(scores[0], k[0]);
    }
}
