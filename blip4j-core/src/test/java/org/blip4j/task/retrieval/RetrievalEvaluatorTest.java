package org.blip4j.task.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.data.MissingImageException;
import org.blip4j.eval.ItmRerank;
import org.blip4j.eval.RetrievalMetrics;
import org.blip4j.eval.RetrievalRecall;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;
import org.blip4j.task.Blip;
import org.blip4j.task.Matcher;
import org.blip4j.task.TextOptions;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RetrievalEvaluator on tiny-a equals a brute-force recomputation: ITM and cosine for every pair through
 * {@link Matcher}, then the same top-k rule and recall formulas.
 */
class RetrievalEvaluatorTest {
    /** tiny-a's images, in golden order. */
    static final String[] IMAGES = {"img0_blocks_64x64.png", "img1_gradient_64x64.png",
        "img2_nonsquare_150x110.png", "img3_gray_50x40.png"};
    /** Uneven caption counts (2, 3, 1, 2), so img2txt/txt2img bookkeeping is exercised. */
    static final List<List<String>> CAPTIONS = List.of(
            List.of("a dog sitting on the grass", "A Red car, parked near the OLD building!"),
            List.of("a woman eating at the cafe", "two kittens playing with the dog's ball", "a red house"),
            List.of("a man and a woman standing next to a large white horse"),
            List.of("a cat on a bag", "a boat behind a tall pizza"));

    static Blip blip;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws Exception {
        blip = Blip.load(Fixtures.tinyAModel().toString());
    }

    @AfterAll
    static void close() {
        blip.close();
    }

    Path annotations() throws Exception {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < IMAGES.length; i++) {
            json.append(i == 0 ? "" : ",").append("{\"image\": \"").append(IMAGES[i]).append("\", \"caption\": [");
            for (int c = 0; c < CAPTIONS.get(i).size(); c++) {
                json.append(c == 0 ? "" : ",").append('"').append(CAPTIONS.get(i).get(c).replace("\"", "\\\""))
                        .append('"');
            }
            json.append("]}");
        }
        Path file = tmp.resolve("test.json");
        Files.writeString(file, json.append(']').toString());
        return file;
    }

    RetrievalEvaluatorSplit split() throws Exception {
        return RetrievalEvaluatorSplit.read(annotations(), Fixtures.tinyA().resolve("images"));
    }

    /** Every pair scored by Matcher; the reference the evaluator must reproduce. */
    record BruteForce(double[][] sims, double[][] logits) {
        static BruteForce of(RetrievalEvaluatorSplit split) {
            List<RgbImage> images = new ArrayList<>();
            for (String f : IMAGES) {
                images.add(ImageLoader.load(Fixtures.tinyA().resolve("images").resolve(f)));
            }
            Matcher.PairScore[][] s = new Matcher(blip, TextOptions.retrieval(), 3).scoreAll(images, split.texts());
            double[][] sims = new double[s.length][s[0].length];
            double[][] logits = new double[s.length][s[0].length];
            for (int i = 0; i < s.length; i++) {
                for (int t = 0; t < s[i].length; t++) {
                    sims[i][t] = s[i][t].itcCosine();
                    logits[i][t] = s[i][t].itmLogit();
                }
            }
            return new BruteForce(sims, logits);
        }

        double[][] i2t(int k) {
            return ItmRerank.imageToText(sims, k, ItmRerank.fromMatrix(logits));
        }

        double[][] t2i(int k) {
            double[][] tr = new double[logits[0].length][logits.length];
            for (int i = 0; i < logits.length; i++) {
                for (int t = 0; t < logits[i].length; t++) {
                    tr[t][i] = logits[i][t];
                }
            }
            return ItmRerank.textToImage(sims, k, ItmRerank.fromMatrix(tr));
        }

        RetrievalMetrics metrics(int k, RetrievalEvaluatorSplit split) {
            return RetrievalRecall.compute(i2t(k), t2i(k), split.txt2img(), split.img2txt());
        }
    }

    @Test
    void splitNumbersTextsPerImageInOrder() throws Exception {
        RetrievalEvaluatorSplit split = split();
        assertEquals(4, split.images().size());
        assertEquals(8, split.texts().size());
        assertArrayEquals(new int[] {0, 0, 1, 1, 1, 2, 3, 3}, split.txt2img());
        assertArrayEquals(new int[] {2, 3, 4}, split.img2txt()[1]);
        assertEquals("a red house", split.texts().get(4));
    }

    @Test
    void recallsEqualBruteForceForEveryK() throws Exception {
        RetrievalEvaluatorSplit split = split();
        BruteForce ref = BruteForce.of(split);
        // k = 1 and 2 leave texts (and, for t2i, images) outside the top-k at -100; 8 = all candidates
        for (int k : new int[] {1, 2, 3, 8, 256}) {
            RetrievalEvaluatorOptions o = RetrievalEvaluatorOptions.defaults().withKTest(k).withKeepScores(true)
                    .withBatchSizes(3, 3, 2);
            RetrievalEvaluatorResult r = new RetrievalEvaluator(blip, o).evaluate(split);
            assertEquals(ref.metrics(k, split), r.metrics(), "k=" + k);
            assertScores("k=" + k + " sims", ref.sims, r.sims());
            assertScores("k=" + k + " score_i2t", ref.i2t(k), r.scoreI2t());
            assertScores("k=" + k + " score_t2i", ref.t2i(k), r.scoreT2i());
            long outside = count(r.scoreI2t(), ItmRerank.NOT_RERANKED);
            assertEquals(4L * Math.max(0, 8 - k), outside, "k=" + k + ": entries left at -100 in score_i2t");
            assertEquals(8L * Math.max(0, 4 - k), count(r.scoreT2i(), ItmRerank.NOT_RERANKED), "k=" + k);
            assertEquals(4, r.cachedImages());
            assertEquals(0, r.recomputedImages());
        }
    }

    @Test
    void boundedTopKEvaluationEqualsTheFullMatrices() throws Exception {
        RetrievalEvaluatorSplit split = split();
        for (int k : new int[] {1, 2, 3, 8, 256}) {
            RetrievalEvaluatorOptions o = RetrievalEvaluatorOptions.defaults().withKTest(k).withBatchSizes(3, 3, 2);
            RetrievalEvaluatorResult full = new RetrievalEvaluator(blip, o.withKeepScores(true)).evaluate(split);
            RetrievalEvaluatorResult bounded = new RetrievalEvaluator(blip, o).evaluate(split);
            assertEquals(full.metrics(), bounded.metrics(), "k=" + k);
            assertEquals(full.itmPairs(), bounded.itmPairs(), "k=" + k + ": the same pairs are re-ranked");
            assertEquals(null, bounded.sims());
        }
    }

    @Test
    void imagesBeyondTheCacheBudgetAreReEncodedWithTheSameResult() throws Exception {
        RetrievalEvaluatorSplit split = split();
        RetrievalEvaluatorOptions o = RetrievalEvaluatorOptions.defaults().withKTest(2).withKeepScores(true);
        RetrievalEvaluatorResult cached = new RetrievalEvaluator(blip, o).evaluate(split);
        long oneImage = 4L * 17 * 48; // tiny-a: 1 + 16 patches, width 48
        List<String> phases = new ArrayList<>();
        RetrievalEvaluatorResult partly = new RetrievalEvaluator(blip, o.withEmbedCacheBytes(oneImage))
                .evaluate(split, new RetrievalEvaluator.Progress() {
                    @Override
                    public void phase(String name, int total) {
                        phases.add(name + "/" + total);
                    }

                    @Override
                    public void advance(int steps) {
                    }
                });
        assertEquals(1, partly.cachedImages());
        assertEquals(3, partly.recomputedImages());
        assertEquals(cached.metrics(), partly.metrics());
        assertScores("score_i2t", cached.scoreI2t(), partly.scoreI2t());
        assertEquals(List.of("text features/8", "image features/4", "ITM re-ranking/4"), phases);
        // every planned pair is distinct: at least each image's own top-2, at most all 32 pairs
        assertTrue(partly.itmPairs() >= 8 && partly.itmPairs() <= 32, "pairs " + partly.itmPairs());
        assertEquals(null, new RetrievalEvaluator(blip, o.withKeepScores(false)).evaluate(split).scoreI2t());
    }

    @Test
    void aMissingImageIsNamed() throws Exception {
        Path ann = tmp.resolve("missing.json");
        Files.writeString(ann, "[{\"image\": \"nope.png\", \"caption\": [\"a dog\"]}]");
        RetrievalEvaluatorSplit split = RetrievalEvaluatorSplit.read(ann, tmp);
        var e = assertThrows(MissingImageException.class, () -> new RetrievalEvaluator(blip).evaluate(split));
        assertTrue(e.getMessage().contains("nope.png"), e.getMessage());
    }

    static void assertScores(String what, double[][] expected, double[][] actual) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(expected[i][j], actual[i][j], 1e-4, what + " [" + i + "][" + j + "]");
            }
        }
    }

    static long count(double[][] m, double value) {
        long n = 0;
        for (double[] row : m) {
            for (double v : row) {
                n += v == value ? 1 : 0;
            }
        }
        return n;
    }
}
