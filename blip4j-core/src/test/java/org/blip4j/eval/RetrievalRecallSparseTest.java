package org.blip4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Recalls from each query's top-k equal the recalls from the full -100-filled matrices, ties included. */
class RetrievalRecallSparseTest {
    @Test
    void sparseRanksEqualFullRanks() {
        Random r = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int images = 1 + r.nextInt(6);
            int texts = 1 + r.nextInt(12);
            int k = 1 + r.nextInt(Math.max(images, texts) + 1);
            double[][] sims = new double[images][texts];
            double[][] logits = new double[images][texts];
            for (int i = 0; i < images; i++) {
                for (int t = 0; t < texts; t++) {
                    sims[i][t] = r.nextInt(4) / 4.0; // coarse values: many ties
                    logits[i][t] = r.nextInt(5) == 0 ? -100 - sims[i][t] : r.nextInt(3) - 1.0; // some exactly -100
                }
            }
            int[] txt2img = new int[texts];
            int[][] img2txt = new int[images][];
            for (int t = 0; t < texts; t++) {
                txt2img[t] = r.nextInt(images);
            }
            for (int i = 0; i < images; i++) {
                int fi = i;
                img2txt[i] = java.util.stream.IntStream.range(0, texts).filter(t -> txt2img[t] == fi).toArray();
            }
            double[][] i2t = ItmRerank.imageToText(sims, k, ItmRerank.fromMatrix(logits));
            double[][] lt = ItmRerank.transpose(logits);
            double[][] t2i = ItmRerank.textToImage(sims, k, ItmRerank.fromMatrix(lt));
            RetrievalMetrics full = RetrievalRecall.compute(i2t, t2i, txt2img, img2txt);
            RetrievalMetrics sparse = RetrievalRecall.compute(sparse(sims, logits, k), sparse(ItmRerank.transpose(sims),
                    lt, k), txt2img, img2txt);
            assertEquals(full, sparse, "trial " + trial);
        }
    }

    /** Each row's top-k by similarity (BlockedTopK's rule) with logit + similarity, as a bounded evaluation keeps. */
    static RetrievalRecall.SparseScores sparse(double[][] sims, double[][] logits, int k) {
        int width = sims[0].length;
        BlockedTopK.Collector c = new BlockedTopK.Collector(sims.length, Math.min(k, width));
        for (int q = 0; q < sims.length; q++) {
            for (int j = 0; j < width; j++) {
                c.offer(q, j, sims[q][j]);
            }
        }
        int[][] rows = c.rows();
        double[][] scores = new double[rows.length][];
        for (int q = 0; q < rows.length; q++) {
            scores[q] = new double[rows[q].length];
            for (int j = 0; j < rows[q].length; j++) {
                scores[q][j] = logits[q][rows[q][j]] + sims[q][rows[q][j]];
            }
        }
        return new RetrievalRecall.SparseScores(rows, scores, width);
    }
}
