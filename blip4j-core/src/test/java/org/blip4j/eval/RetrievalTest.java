package org.blip4j.eval;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetrievalTest {
    // 3 images, 4 texts; texts 0,1 describe image 0, text 2 image 1, text 3 image 2
    private static final int[] TXT2IMG = {0, 0, 1, 2};
    private static final int[][] IMG2TXT = {{0, 1}, {2}, {3}};
    private static final double[][] SIMS = {
            {0.9, 0.1, 0.5, 0.3},
            {0.6, 0.2, 0.4, 0.8},
            {0.1, 0.7, 0.3, 0.2}};
    private static final double[][] ITM_I2T = {
            {1.0, 5.0, 0.0, 2.0},
            {0.5, 0.0, 3.0, 1.0},
            {0.0, 2.0, 0.0, 4.0}};
    private static final double[][] ITM_T2I = {
            {0.0, 1.0, 0.0},
            {3.0, 0.0, 0.0},
            {0.0, 2.0, 0.0},
            {0.0, 0.0, 0.0}};

    @Test
    void rerankScoresOnlyTheTopKWithLogitPlusCosine() {
        List<String> calls = new ArrayList<>();
        double[][] i2t = ItmRerank.imageToText(SIMS, 2, (q, cands) -> {
            calls.add(q + ":" + java.util.Arrays.toString(cands));
            return ItmRerank.fromMatrix(ITM_I2T).matchLogits(q, cands);
        });
        assertEquals(List.of("0:[0, 2]", "1:[3, 0]", "2:[1, 2]"), calls, "ITM sees each image's top-k by cosine");
        assertArrayEquals(new double[]{1.0 + 0.9, -100, 0.0 + 0.5, -100}, i2t[0], 1e-15);
        assertArrayEquals(new double[]{0.5 + 0.6, -100, -100, 1.0 + 0.8}, i2t[1], 1e-15);
        // text 1 has the largest ITM logit of image 0 (5.0) but is outside its top-2: it stays at -100
        assertEquals(-100.0, i2t[0][1]);

        double[][] t2i = ItmRerank.textToImage(SIMS, 2, ItmRerank.fromMatrix(ITM_T2I));
        assertEquals(4, t2i.length);
        // text 0: image 0 has the higher cosine (0.9 vs 0.6) but image 1's ITM logit (1.0) lifts it above
        assertArrayEquals(new double[]{0.0 + 0.9, 1.0 + 0.6, -100}, t2i[0], 1e-15);
        // text 1: image 0 would win on ITM (3.0) but is outside the top-2 by cosine
        assertArrayEquals(new double[]{-100, 0.0 + 0.2, 0.0 + 0.7}, t2i[1], 1e-15);
    }

    @Test
    void recallsOfHandComputedCase() {
        double[][] i2t = ItmRerank.imageToText(SIMS, 2, ItmRerank.fromMatrix(ITM_I2T));
        double[][] t2i = ItmRerank.textToImage(SIMS, 2, ItmRerank.fromMatrix(ITM_T2I));
        RetrievalMetrics m = RetrievalRecall.compute(i2t, t2i, TXT2IMG, IMG2TXT);
        // image ranks: 0 (text 0 first), 2, 2 (ground truth left at -100); text ranks: 1, 2, 0, 2
        assertEquals(100.0 / 3, m.txtR1(), 1e-12);
        assertEquals(100.0, m.txtR5());
        assertEquals(100.0, m.txtR10());
        assertEquals(25.0, m.imgR1());
        assertEquals(100.0, m.imgR5());
        assertEquals(100.0, m.imgR10());
        assertEquals((100.0 / 3 + 200) / 3, m.txtRMean(), 1e-12);
        assertEquals(75.0, m.imgRMean(), 1e-12);
        assertEquals(((100.0 / 3 + 200) / 3 + 75) / 2, m.rMean(), 1e-12);
        assertEquals(List.of("txt_r1", "txt_r5", "txt_r10", "txt_r_mean", "img_r1", "img_r5", "img_r10",
                "img_r_mean", "r_mean"), List.copyOf(m.toMap().keySet()));
    }

    @Test
    void imageRankIsBestAmongItsTextsAndRecallCutsAt1_5_10() {
        // 4 images × 12 texts; rows list texts best first
        int[][] img2txt = {{0, 1, 2}, {3, 4, 5}, {6, 7, 8, 9}, {10, 11}};
        int[] txt2img = {0, 0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3};
        double[][] i2t = {
                scoresFromOrder(1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11),   // text 1 first: rank 0
                scoresFromOrder(0, 1, 2, 5, 3, 4, 6, 7, 8, 9, 10, 11),   // text 5 at 3: rank 3
                scoresFromOrder(0, 1, 2, 3, 4, 5, 10, 11, 7, 8, 6, 9),   // text 7 at 8: rank 8
                scoresFromOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)};  // text 10 at 10: rank 10, a miss at 10
        // texts of images 0 and 1 find their image first; the others at rank 2
        double[][] t2i = new double[12][];
        for (int t = 0; t < 12; t++) {
            int gt = txt2img[t];
            t2i[t] = gt <= 1 ? scoresFromOrder(gt, (gt + 1) % 4, (gt + 2) % 4, (gt + 3) % 4)
                    : scoresFromOrder((gt + 1) % 4, (gt + 2) % 4, gt, (gt + 3) % 4);
        }
        RetrievalMetrics m = RetrievalRecall.compute(i2t, t2i, txt2img, img2txt);
        assertEquals(25.0, m.txtR1());
        assertEquals(50.0, m.txtR5());
        assertEquals(75.0, m.txtR10());
        assertEquals(50.0, m.txtRMean(), 1e-12);
        assertEquals(50.0, m.imgR1());
        assertEquals(100.0, m.imgR5());
        assertEquals(100.0, m.imgR10());
        assertEquals(250.0 / 3, m.imgRMean(), 1e-12);
        assertEquals((50.0 + 250.0 / 3) / 2, m.rMean(), 1e-12);
    }

    @Test
    void tiesRankHigherIndexFirstAsReversedStableArgsort() {
        double[] row = {-100, 0.5, -100, -100};
        assertEquals(0, RetrievalRecall.rank(row, 1));
        assertEquals(1, RetrievalRecall.rank(row, 3));
        assertEquals(3, RetrievalRecall.rank(row, 0));
    }

    @Test
    void mismatchedShapesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RetrievalRecall.compute(new double[2][3], new double[3][2], new int[]{0, 0, 1}, new int[][]{{0}}));
        assertEquals("shape mismatch: score_i2t has 2 images, img2txt 1; score_t2i has 3 texts, txt2img 3",
                e.getMessage());
    }

    private static double[] scoresFromOrder(int... bestFirst) {
        double[] s = new double[bestFirst.length];
        for (int p = 0; p < bestFirst.length; p++) {
            s[bestFirst[p]] = bestFirst.length - p;
        }
        return s;
    }
}
