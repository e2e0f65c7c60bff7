package org.blip4j.task.retrieval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.blip4j.data.ImageSource;
import org.blip4j.eval.BlockedTopK;
import org.blip4j.eval.ItmRerank;
import org.blip4j.eval.RetrievalMetrics;
import org.blip4j.eval.RetrievalRecall;
import org.blip4j.image.RgbImage;
import org.blip4j.model.Part;
import org.blip4j.task.Blip;
import org.blip4j.nn.Scoped;

/**
 * Image-text retrieval evaluation as BLIP's {@code train_retrieval.py: evaluation}: ITC features
 * of every text and image, plain cosine similarities (no temperature), then each query's top-k candidates
 * re-scored with the raw ITM match logit ([ENC] first) plus the cosine, -100 elsewhere ({@link ItmRerank}), and
 * TR@K / IR@K from the two score matrices ({@link RetrievalRecall}).
 *
 * <p>Work and memory: images are encoded once in the ITC pass; their ViT sequences are kept for re-ranking up to
 * {@link RetrievalEvaluatorOptions#embedCacheBytes()} and the rest are encoded again (once each). Re-ranking is
 * grouped by image: all texts any query pairs with an image - its own top-k and the texts that have it in their
 * top-k - are scored against that image's single embedding row, so its cross-attention keys/values are projected
 * once and every pair is scored once (a pair's logit does not depend on the direction or the batch); the original
 * instead batches t2i as one text against its k images. Unless the score matrices are asked for
 * ({@link RetrievalEvaluatorOptions#keepScores()}), only each query's top-k is held ({@link BlockedTopK.Collector}
 * over 64 MB blocks of cosines): at COCO's 5k images / 25k texts and k 256 about 0.25 GB (features 31 MB, a cosine
 * block 64 MB plus its engine copy, top-k state 92 MB, ITM pairs at most 61 MB) instead of three images x texts
 * {@code double[][]} of 1 GB each (sims, score_i2t, score_t2i, plus a transposed copy) — computed, see
 * docs/BENCHMARKS.md.
 */
public final class RetrievalEvaluator {

    /** Progress by phase: text features, image features, ITM re-ranking (one step per text/image). */
    public interface Progress {
        Progress NONE = new Progress() {
            @Override
            public void phase(String name, int total) {
            }

            @Override
            public void advance(int steps) {
            }
        };

        void phase(String name, int total);

        void advance(int steps);
    }

    private final Blip blip;
    private final RetrievalEvaluatorOptions options;

    public RetrievalEvaluator(Blip blip, RetrievalEvaluatorOptions options) {
        for (Part p : List.of(Part.VISION, Part.TEXT_ENCODER, Part.VISION_PROJ, Part.TEXT_PROJ, Part.ITM_HEAD)) {
            if (!blip.model().has(p)) {
                throw new IllegalArgumentException("retrieval evaluation needs the " + p.description + ", and model "
                        + (blip.directory() == null ? "" : blip.directory() + " ") + "has no " + p.prefix
                        + " weights (use an ITM/retrieval checkpoint)");
            }
        }
        this.blip = blip;
        this.options = options;
    }

    public RetrievalEvaluator(Blip blip) {
        this(blip, RetrievalEvaluatorOptions.defaults());
    }

    public RetrievalEvaluatorResult evaluate(RetrievalEvaluatorSplit split) {
        return evaluate(split, Progress.NONE);
    }

    public RetrievalEvaluatorResult evaluate(RetrievalEvaluatorSplit split, Progress progress) {
        int images = split.images().size();
        SplitTexts texts = new SplitTexts(blip.tokenizer(), options.text(), split.texts());
        float[][] textFeat = textFeatures(texts, progress);
        EmbedCache cache = new EmbedCache(images, options.embedCacheBytes());
        float[][] imageFeat = imageFeatures(split.images(), cache, progress);
        if (!options.keepScores()) {
            return evaluateBounded(split, texts, textFeat, imageFeat, cache, progress);
        }
        double[][] sims = cosine(blip.manager(), imageFeat, textFeat);

        int k = options.kTest();
        RerankPairs pairs = plan(sims, k);
        int recomputed = scorePairs(split.images(), texts, pairs, cache, progress);
        double[][] i2t = ItmRerank.imageToText(sims, k, (image, cands) -> {
            double[] out = new double[cands.length];
            for (int j = 0; j < cands.length; j++) {
                out[j] = pairs.logit(image, cands[j]);
            }
            return out;
        });
        double[][] t2i = ItmRerank.textToImage(sims, k, (text, cands) -> {
            double[] out = new double[cands.length];
            for (int j = 0; j < cands.length; j++) {
                out[j] = pairs.logit(cands[j], text);
            }
            return out;
        });
        RetrievalMetrics metrics = RetrievalRecall.compute(i2t, t2i, split.txt2img(), split.img2txt());
        boolean keep = options.keepScores();
        return new RetrievalEvaluatorResult(metrics, keep ? sims : null, keep ? i2t : null, keep ? t2i : null,
                cache.count(), recomputed, pairs.total());
    }

    /**
     * The same evaluation holding each query's top-k only ({@link BlockedTopK.Collector} fed block by block from
     * the engine's float32 cosines, the same values and tie rule as the full matrices): memory O((N + T) * k)
     * instead of three N x T double matrices.
     */
    private RetrievalEvaluatorResult evaluateBounded(RetrievalEvaluatorSplit split, SplitTexts texts,
            float[][] textFeat, float[][] imageFeat, EmbedCache cache, Progress progress) {
        int n = imageFeat.length;
        int t = textFeat.length;
        BlockedTopK.Collector i2tTop = new BlockedTopK.Collector(n, Math.min(options.kTest(), t));
        BlockedTopK.Collector t2iTop = new BlockedTopK.Collector(t, Math.min(options.kTest(), n));
        cosineBlocks(blip.manager(), imageFeat, textFeat, (image, flat, from) -> {
            for (int j = 0; j < t; j++) {
                double cos = flat[(image - from) * t + j];
                i2tTop.offer(image, j, cos);
                t2iTop.offer(j, image, cos);
            }
        });
        int[][] i2tRows = i2tTop.rows();
        double[][] i2tCos = i2tTop.scores();
        int[][] t2iRows = t2iTop.rows();
        double[][] t2iCos = t2iTop.scores();
        RerankPairs pairs = new RerankPairs(n);
        for (int i = 0; i < n; i++) {
            for (int j : i2tRows[i]) {
                pairs.request(i, j);
            }
        }
        for (int j = 0; j < t; j++) {
            for (int i : t2iRows[j]) {
                pairs.request(i, j);
            }
        }
        pairs.freeze();
        int recomputed = scorePairs(split.images(), texts, pairs, cache, progress);
        double[][] i2tScores = new double[n][];
        for (int i = 0; i < n; i++) {
            i2tScores[i] = new double[i2tRows[i].length];
            for (int c = 0; c < i2tRows[i].length; c++) {
                i2tScores[i][c] = pairs.logit(i, i2tRows[i][c]) + i2tCos[i][c];
            }
        }
        double[][] t2iScores = new double[t][];
        for (int j = 0; j < t; j++) {
            t2iScores[j] = new double[t2iRows[j].length];
            for (int c = 0; c < t2iRows[j].length; c++) {
                t2iScores[j][c] = pairs.logit(t2iRows[j][c], j) + t2iCos[j][c];
            }
        }
        RetrievalMetrics metrics = RetrievalRecall.compute(
                new RetrievalRecall.SparseScores(i2tRows, i2tScores, t),
                new RetrievalRecall.SparseScores(t2iRows, t2iScores, n), split.txt2img(), split.img2txt());
        return new RetrievalEvaluatorResult(metrics, null, null, null, cache.count(), recomputed, pairs.total());
    }

    private float[][] textFeatures(SplitTexts texts, Progress progress) {
        int n = texts.size();
        int[] all = range(n);
        float[][] out = new float[n][];
        progress.phase("text features", n);
        for (int start = 0; start < n; start += options.textBatchSize()) {
            int from = start;
            int to = Math.min(n, from + options.textBatchSize());
            Scoped.inSubManager(blip.manager(), m -> {
                NDArray[] b = texts.batch(all, from, to, false, m);
                copyRows(blip.model().textFeatures(b[0], b[1], false), out, from);
            });
            progress.advance(to - from);
        }
        return out;
    }

    private float[][] imageFeatures(List<ImageSource> sources, EmbedCache cache,
            Progress progress) {
        int n = sources.size();
        float[][] out = new float[n][];
        progress.phase("image features", n);
        for (int start = 0; start < n; start += options.imageBatchSize()) {
            int from = start;
            int to = Math.min(n, from + options.imageBatchSize());
            Scoped.inSubManager(blip.manager(), m -> {
                NDArray embeds = blip.model().imageEmbeds(blip.pixels(load(sources.subList(from, to)), m), false);
                copyRows(blip.model().imageFeatures(embeds), out, from);
                for (int i = from; i < to; i++) {
                    cache.offer(i, embeds, i - from);
                }
            });
            progress.advance(to - from);
        }
        return out;
    }

    /** Which pairs each direction's top-k asks for: ItmRerank picks them, so the selection rule lives there. */
    static RerankPairs plan(double[][] sims, int k) {
        RerankPairs pairs = new RerankPairs(sims.length);
        ItmRerank.imageToText(sims, k, (image, cands) -> {
            for (int t : cands) {
                pairs.request(image, t);
            }
            return new double[cands.length];
        });
        ItmRerank.textToImage(sims, k, (text, cands) -> {
            for (int image : cands) {
                pairs.request(image, text);
            }
            return new double[cands.length];
        });
        pairs.freeze();
        return pairs;
    }

    /** ITM match logits of every planned pair, one image at a time; returns how many images were re-encoded. */
    private int scorePairs(List<ImageSource> sources, SplitTexts texts, RerankPairs pairs,
            EmbedCache cache, Progress progress) {
        int recomputed = 0;
        progress.phase("ITM re-ranking", sources.size());
        for (int image = 0; image < sources.size(); image++) {
            int i = image;
            int[] ts = pairs.texts(i);
            if (ts.length > 0) {
                float[] logits = new float[ts.length];
                boolean encodedAgain = Scoped.inSubManager(blip.manager(), m -> {
                    NDArray cached = cache.get(i, m);
                    NDArray embeds = cached != null ? cached
                            : blip.model().imageEmbeds(blip.pixels(load(sources.subList(i, i + 1)), m), false);
                    for (int from = 0; from < ts.length; from += options.itmBatchSize()) {
                        int to = Math.min(ts.length, from + options.itmBatchSize());
                        try (NDScope chunk = new NDScope()) {
                            chunk.suppressNotUsedWarning();
                            NDArray[] b = texts.batch(ts, from, to, true, m);
                            float[] two = blip.model().itmLogits(b[0], b[1], embeds, false).toFloatArray();
                            for (int j = from; j < to; j++) {
                                logits[j] = two[2 * (j - from) + 1]; // class 1 = match, raw logit
                            }
                        }
                    }
                    return cached == null;
                });
                if (encodedAgain) {
                    recomputed++;
                }
                pairs.put(i, logits);
            }
            progress.advance(1);
        }
        return recomputed;
    }

    private static List<RgbImage> load(List<ImageSource> sources) {
        List<RgbImage> out = new ArrayList<>(sources.size());
        for (ImageSource s : sources) {
            out.add(s.load());
        }
        return out;
    }

    /**
     * image_feat . text_feat^T on the engine (float32, as the original's matmul), a block of images at a time so the
     * text matrix is uploaded once per block and no (N, T) tensor exists.
     */
    static double[][] cosine(NDManager parent, float[][] imageFeat, float[][] textFeat) {
        int t = textFeat.length;
        double[][] sims = new double[imageFeat.length][];
        cosineBlocks(parent, imageFeat, textFeat, (i, flat, from) -> {
            sims[i] = new double[t];
            for (int j = 0; j < t; j++) {
                sims[i][j] = flat[(i - from) * t + j];
            }
        });
        return sims;
    }

    /** Receives the cosines of image {@code image}: row {@code image - from} of a block's flat (rows, T) result. */
    private interface CosineRow {
        void accept(int image, float[] flat, int from);
    }

    /** image_feat . text_feat^T in blocks of images, each block's rows handed to {@code sink}. */
    private static void cosineBlocks(NDManager parent, float[][] imageFeat, float[][] textFeat, CosineRow sink) {
        int n = imageFeat.length;
        int t = textFeat.length;
        int e = textFeat[0].length;
        int block = Math.max(1, (int) Math.min(n, (1L << 24) / t)); // about 64 MB of float results per block
        Scoped.inSubManager(parent, m -> {
            NDArray texts = m.create(flatten(textFeat, 0, t), new Shape(t, e)).transpose();
            for (int from = 0; from < n; from += block) {
                int to = Math.min(n, from + block);
                try (NDScope inner = new NDScope()) {
                    inner.suppressNotUsedWarning();
                    NDArray images = m.create(flatten(imageFeat, from, to), new Shape(to - from, e));
                    float[] flat = images.matMul(texts).toFloatArray();
                    for (int i = from; i < to; i++) {
                        sink.accept(i, flat, from);
                    }
                }
            }
        });
    }

    private static float[] flatten(float[][] rows, int from, int to) {
        int e = rows[from].length;
        float[] out = new float[(to - from) * e];
        for (int r = from; r < to; r++) {
            System.arraycopy(rows[r], 0, out, (r - from) * e, e);
        }
        return out;
    }

    static void copyRows(NDArray matrix, float[][] out, int offset) {
        int rows = (int) matrix.getShape().get(0);
        int cols = (int) matrix.getShape().get(1);
        float[] flat = matrix.toFloatArray();
        for (int r = 0; r < rows; r++) {
            out[offset + r] = Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
    }

    static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }
}
