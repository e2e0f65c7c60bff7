package org.blip4j.eval;

import java.util.Arrays;

/**
 * BLIP retrieval scoring (orig {@code train_retrieval.py} {@code evaluation}): the ITC cosine matrix
 * picks each query's top-k candidates, the ITM head re-scores only those, and every other entry is -100. A
 * candidate outside the top-k therefore cannot outrank one inside it, whatever its ITM logit.
 */
public final class ItmRerank {
    /** Score given to candidates outside a query's top-k, as in the original. */
    public static final double NOT_RERANKED = -100.0;

    /** Raw ITM "match" logits (class 1, no softmax) for one query against the given candidates. */
    @FunctionalInterface
    public interface ItmScorer {
        double[] matchLogits(int query, int[] candidates);
    }

    private ItmRerank() {
    }

    /**
     * score_i2t (images × texts): for image i, each of its top-k texts by cosine gets itm_logit + cosine.
     *
     * @param sims cosine similarities, images × texts (not divided by the temperature)
     * @param k    k_test (256 COCO, 128 Flickr); clamped to the number of texts
     * @param itm  logits for (image, top-k text indices)
     */
    public static double[][] imageToText(double[][] sims, int k, ItmScorer itm) {
        return rerank(sims, k, itm);
    }

    /** score_t2i (texts × images): the same with the roles swapped; {@code itm} gets (text, top-k image indices). */
    public static double[][] textToImage(double[][] sims, int k, ItmScorer itm) {
        return rerank(transpose(sims), k, itm);
    }

    /** An ItmScorer reading precomputed logits, {@code logits[query][candidate]}. */
    public static ItmScorer fromMatrix(double[][] logits) {
        return (query, candidates) -> {
            double[] out = new double[candidates.length];
            for (int j = 0; j < candidates.length; j++) {
                out[j] = logits[query][candidates[j]];
            }
            return out;
        };
    }

    private static double[][] rerank(double[][] sims, int k, ItmScorer itm) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        double[][] scores = new double[sims.length][];
        for (int q = 0; q < sims.length; q++) {
            double[] row = sims[q];
            int[] top = topK(row, Math.min(k, row.length));
            double[] logits = itm.matchLogits(q, top.clone());
            if (logits.length != top.length) {
                throw new IllegalStateException("ITM scorer returned " + logits.length + " logits for "
                        + top.length + " candidates of query " + q);
            }
            scores[q] = new double[row.length];
            Arrays.fill(scores[q], NOT_RERANKED);
            for (int j = 0; j < top.length; j++) {
                scores[q][top[j]] = logits[j] + row[top[j]];
            }
        }
        return scores;
    }

    /** Indices of the k largest values, largest first; equal values by lower index (torch.topk leaves ties open). */
    static int[] topK(double[] row, int k) {
        Integer[] idx = new Integer[row.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> {
            int c = Double.compare(row[b], row[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    static double[][] transpose(double[][] m) {
        if (m.length == 0) {
            return new double[0][0];
        }
        double[][] t = new double[m[0].length][m.length];
        for (int i = 0; i < m.length; i++) {
            if (m[i].length != t.length) {
                throw new IllegalArgumentException("ragged similarity matrix: row " + i + " has " + m[i].length
                        + " columns, row 0 has " + t.length);
            }
            for (int j = 0; j < t.length; j++) {
                t[j][i] = m[i][j];
            }
        }
        return t;
    }
}
