package org.blip4j.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * BLEU-1..n as pycocoevalcap's {@code Bleu(4)} computes it ({@code BleuScorer.compute_score(option='closest')}):
 * clipped n-gram counts against the per-n-gram maximum over references, the closest reference length (ties to the
 * shorter), and the smoothing constants {@code tiny=1e-15}, {@code small=1e-9} that make a perfect match score
 * 0.9999999998 instead of 1. The brevity penalty is applied per image and for the corpus.
 */
final class Bleu {
    private static final double TINY = 1e-15;
    private static final double SMALL = 1e-9;

    private final int n;

    public Bleu(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("BLEU order must be >= 1, got " + n);
        }
        this.n = n;
    }

    public Bleu() {
        this(4);
    }

    /** Corpus BLEU-k at {@code corpus[k-1]}; per-image BLEU-k at {@code perImage[k-1][image]}. */
    public record Result(double[] corpus, double[][] perImage) {
    }

    /** @param candidates tokenized candidate per image; @param references tokenized references per image */
    public Result score(List<String> candidates, List<List<String>> references) {
        CaptionScorerInput.check(candidates, references);
        int images = candidates.size();
        double[][] perImage = new double[n][images];
        long[] totalGuess = new long[n];
        long[] totalCorrect = new long[n];
        long totalTestLen = 0;
        long totalRefLen = 0;
        for (int img = 0; img < images; img++) {
            List<String> test = PythonText.split(candidates.get(img));
            int testLen = test.size();
            int refLen = closestRefLength(references.get(img), testLen);
            int[] guess = new int[n];
            int[] correct = new int[n];
            countMatches(test, references.get(img), guess, correct);
            totalTestLen += testLen;
            totalRefLen += refLen;
            double bleu = 1.0;
            for (int k = 0; k < n; k++) {
                totalGuess[k] += guess[k];
                totalCorrect[k] += correct[k];
                bleu *= ((double) correct[k] + TINY) / ((double) guess[k] + SMALL);
                perImage[k][img] = Math.pow(bleu, 1.0 / (k + 1));
            }
            double ratio = (testLen + TINY) / (refLen + SMALL); // N.B. avoids zero division, as the original
            if (ratio < 1) {
                for (int k = 0; k < n; k++) {
                    perImage[k][img] *= Math.exp(1 - 1 / ratio);
                }
            }
        }
        double[] corpus = new double[n];
        double bleu = 1.0;
        for (int k = 0; k < n; k++) {
            bleu *= (totalCorrect[k] + TINY) / (totalGuess[k] + SMALL);
            corpus[k] = Math.pow(bleu, 1.0 / (k + 1));
        }
        double ratio = (totalTestLen + TINY) / (totalRefLen + SMALL);
        if (ratio < 1) {
            for (int k = 0; k < n; k++) {
                corpus[k] *= Math.exp(1 - 1 / ratio);
            }
        }
        return new Result(corpus, perImage);
    }

    /** {@code min((abs(l - testlen), l) for l in reflens)[1]}: nearest length, ties broken toward the shorter. */
    private static int closestRefLength(List<String> references, int testLen) {
        int best = -1;
        for (String ref : references) {
            int len = PythonText.split(ref).size();
            if (best < 0 || Math.abs(len - testLen) < Math.abs(best - testLen)
                    || (Math.abs(len - testLen) == Math.abs(best - testLen) && len < best)) {
                best = len;
            }
        }
        return best;
    }

    /** guess[k] = candidate (k+1)-grams; correct[k] = those clipped by the max count in any one reference. */
    private void countMatches(List<String> test, List<String> references, int[] guess, int[] correct) {
        List<Map<String, Integer>> maxRef = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            maxRef.add(new HashMap<>());
        }
        for (String ref : references) {
            List<Map<String, Integer>> counts = NGrams.count(PythonText.split(ref), n);
            for (int k = 0; k < n; k++) {
                Map<String, Integer> max = maxRef.get(k);
                counts.get(k).forEach((gram, c) -> max.merge(gram, c, Math::max));
            }
        }
        List<Map<String, Integer>> testCounts = NGrams.count(test, n);
        for (int k = 0; k < n; k++) {
            guess[k] = Math.max(0, test.size() - k);
            Map<String, Integer> max = maxRef.get(k);
            for (Map.Entry<String, Integer> e : testCounts.get(k).entrySet()) {
                correct[k] += Math.min(max.getOrDefault(e.getKey(), 0), e.getValue());
            }
        }
    }
}
