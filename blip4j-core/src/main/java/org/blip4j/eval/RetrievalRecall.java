package org.blip4j.eval;

/**
 * train_retrieval.py {@code itm_eval}: TR@K = % of images whose best-ranked ground-truth text is in the top K,
 * IR@K = % of texts whose image is in the top K; the means are plain averages of the three recalls.
 */
public final class RetrievalRecall {
    private RetrievalRecall() {
    }

    /**
     * @param scoreI2t images × texts
     * @param scoreT2i texts × images
     * @param txt2img  image index of each text
     * @param img2txt  text indices of each image
     */
    public static RetrievalMetrics compute(double[][] scoreI2t, double[][] scoreT2i, int[] txt2img, int[][] img2txt) {
        int images = scoreI2t.length;
        int texts = scoreT2i.length;
        if (img2txt.length != images || txt2img.length != texts) {
            throw new IllegalArgumentException(String.format("shape mismatch: score_i2t has %d images, img2txt %d; "
                    + "score_t2i has %d texts, txt2img %d", images, img2txt.length, texts, txt2img.length));
        }
        long[] imageRanks = new long[images];
        for (int i = 0; i < images; i++) {
            checkRow(scoreI2t[i], texts, "score_i2t", i);
            long best = Long.MAX_VALUE; // the original's 1e20: an image without texts never counts as found
            for (int t : img2txt[i]) {
                best = Math.min(best, rank(scoreI2t[i], t));
            }
            imageRanks[i] = best;
        }
        long[] textRanks = new long[texts];
        for (int t = 0; t < texts; t++) {
            checkRow(scoreT2i[t], images, "score_t2i", t);
            textRanks[t] = rank(scoreT2i[t], txt2img[t]);
        }
        return metrics(imageRanks, textRanks);
    }

    private static RetrievalMetrics metrics(long[] imageRanks, long[] textRanks) {
        double tr1 = recall(imageRanks, 1);
        double tr5 = recall(imageRanks, 5);
        double tr10 = recall(imageRanks, 10);
        double ir1 = recall(textRanks, 1);
        double ir5 = recall(textRanks, 5);
        double ir10 = recall(textRanks, 10);
        double trMean = (tr1 + tr5 + tr10) / 3;
        double irMean = (ir1 + ir5 + ir10) / 3;
        return new RetrievalMetrics(tr1, tr5, tr10, trMean, ir1, ir5, ir10, irMean, (trMean + irMean) / 2);
    }

    /**
     * One direction's scores kept as each query's candidates only (the rest of the row is
     * {@link ItmRerank#NOT_RERANKED}, implicitly): what a bounded evaluation holds instead of a full matrix.
     *
     * @param candidates per query, the re-ranked candidate indices (distinct)
     * @param scores     per query, their scores (ITM logit + cosine), same order
     * @param width      candidates per row in the full matrix (texts for i2t, images for t2i)
     */
    public record SparseScores(int[][] candidates, double[][] scores, int width) {
        /** {@link #rank(double[], int)} on the full row, computed from the kept entries. */
        long rank(int query, int target) {
            if (target < 0 || target >= width) {
                throw new IllegalArgumentException("ground-truth index " + target + " outside 0.." + (width - 1));
            }
            int[] c = candidates[query];
            double[] sc = scores[query];
            double s = ItmRerank.NOT_RERANKED;
            for (int j = 0; j < c.length; j++) {
                if (c[j] == target) {
                    s = sc[j];
                }
            }
            long rank = 0;
            int candidatesAbove = 0;
            for (int j = 0; j < c.length; j++) {
                if (sc[j] > s || (sc[j] == s && c[j] > target)) {
                    rank++;
                }
                if (c[j] > target) {
                    candidatesAbove++;
                }
            }
            long others = width - c.length - (contains(c, target) ? 0 : 1); // implicit -100 entries, target excluded
            if (s < ItmRerank.NOT_RERANKED) {
                rank += others;
            } else if (s == ItmRerank.NOT_RERANKED) {
                rank += (width - 1 - target) - candidatesAbove; // equal scores: higher indices first
            }
            return rank;
        }

        private static boolean contains(int[] a, int v) {
            for (int x : a) {
                if (x == v) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@link #compute(double[][], double[][], int[], int[][])} on sparse scores: same recalls, O(queries * k). */
    public static RetrievalMetrics compute(SparseScores i2t, SparseScores t2i, int[] txt2img, int[][] img2txt) {
        int images = i2t.candidates().length;
        int texts = t2i.candidates().length;
        if (img2txt.length != images || txt2img.length != texts || i2t.width() != texts || t2i.width() != images) {
            throw new IllegalArgumentException(String.format("shape mismatch: i2t %d x %d, t2i %d x %d, img2txt %d,"
                    + " txt2img %d", images, i2t.width(), texts, t2i.width(), img2txt.length, txt2img.length));
        }
        long[] imageRanks = new long[images];
        for (int i = 0; i < images; i++) {
            long best = Long.MAX_VALUE;
            for (int t : img2txt[i]) {
                best = Math.min(best, i2t.rank(i, t));
            }
            imageRanks[i] = best;
        }
        long[] textRanks = new long[texts];
        for (int t = 0; t < texts; t++) {
            textRanks[t] = t2i.rank(t, txt2img[t]);
        }
        return metrics(imageRanks, textRanks);
    }

    /**
     * 0-based position of {@code target} in {@code np.argsort(scores)[::-1]}: entries with a higher score come
     * first; among equal scores a higher index comes first (what a stable ascending sort reversed gives; numpy's
     * default sort leaves ties unspecified).
     */
    static long rank(double[] scores, int target) {
        if (target < 0 || target >= scores.length) {
            throw new IllegalArgumentException("ground-truth index " + target + " outside 0.." + (scores.length - 1));
        }
        double s = scores[target];
        long rank = 0;
        for (int j = 0; j < scores.length; j++) {
            if (scores[j] > s || (scores[j] == s && j > target)) {
                rank++;
            }
        }
        return rank;
    }

    /** {@code 100.0 * len(np.where(ranks < k)[0]) / len(ranks)}. */
    private static double recall(long[] ranks, int k) {
        int hits = 0;
        for (long r : ranks) {
            if (r < k) {
                hits++;
            }
        }
        return 100.0 * hits / ranks.length;
    }

    private static void checkRow(double[] row, int expected, String name, int index) {
        if (row.length != expected) {
            throw new IllegalArgumentException(name + " row " + index + " has " + row.length + " entries, expected "
                    + expected);
        }
    }
}
