package org.blip4j.eval;

import java.util.List;

/**
 * ROUGE-L as pycocoevalcap's rouge.py: LCS over {@code split(" ")} tokens (so an empty caption is one empty token),
 * precision and recall maximised separately over the references, then F with beta = 1.2. Corpus = np.mean.
 */
final class Rouge {
    private static final double BETA = 1.2;

    public MetricScore score(List<String> candidates, List<List<String>> references) {
        CaptionScorerInput.check(candidates, references);
        double[] perImage = new double[candidates.size()];
        for (int i = 0; i < perImage.length; i++) {
            perImage[i] = imageScore(candidates.get(i), references.get(i));
        }
        return new MetricScore(NumpyMath.mean(perImage), perImage);
    }

    static double imageScore(String candidate, List<String> references) {
        List<String> tokC = PythonText.splitOnSpace(candidate);
        double precMax = Double.NEGATIVE_INFINITY;
        double recMax = Double.NEGATIVE_INFINITY;
        for (String reference : references) {
            List<String> tokR = PythonText.splitOnSpace(reference);
            int lcs = lcs(tokR, tokC);
            precMax = Math.max(precMax, lcs / (double) tokC.size());
            recMax = Math.max(recMax, lcs / (double) tokR.size());
        }
        if (precMax != 0 && recMax != 0) {
            double beta2 = BETA * BETA;
            return ((1 + beta2) * precMax * recMax) / (recMax + beta2 * precMax);
        }
        return 0.0;
    }

    /** Length of the longest common subsequence of two token lists. */
    static int lcs(List<String> a, List<String> b) {
        int[] prev = new int[b.size() + 1];
        int[] cur = new int[b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            for (int j = 1; j <= b.size(); j++) {
                cur[j] = a.get(i - 1).equals(b.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.size()];
    }
}
