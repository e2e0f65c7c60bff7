package org.blip4j.task.retrieval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.eval.ItmRerank;
import org.blip4j.eval.RetrievalMetrics;
import org.blip4j.eval.RetrievalRecall;
import org.blip4j.image.RgbImage;
import org.blip4j.model.BlipModel;
import org.blip4j.nn.Scoped;
import org.blip4j.task.Blip;
import org.blip4j.task.VideoSplit;
import org.blip4j.video.VideoDecodeException;
import org.blip4j.video.VideoFrames;

/**
 * Zero-shot text-video retrieval with an image-text retrieval model, as orig {@code eval_retrieval_video.py}
 * ({@code configs/retrieval_msrvtt.yaml}): {@code num_frm_test} frames sampled uniformly per video; the video's ITC
 * embedding is the mean of the projected frame [CLS] features, L2-normalised; ITM cross-attends to all frames'
 * tokens concatenated; the top {@code k_test} of each direction are re-ranked by ITM logit + ITC similarity.
 * A video that cannot be read is skipped and counted, and its texts leave the split with it.
 */
public final class VideoRetrievalEvaluator {
    /** The official {@code num_frm_test} and {@code k_test} of retrieval_msrvtt.yaml. */
    public static final int DEFAULT_FRAMES = 8;
    public static final int DEFAULT_K_TEST = 128;

    private final Blip blip;
    private final int frames;
    private final int kTest;
    private final int textBatchSize;
    private final int itmBatchSize;
    private final long cacheBytes;

    /** What was measured, over the videos that could be read. */
    public record Result(RetrievalMetrics metrics, int videos, int texts, List<String> skipped, double[][] sims) {
    }

    /**
     * @param cacheBytes how many bytes of frame tokens to keep between the ITC pass and re-ranking; videos beyond
     *     it are decoded and encoded again when re-ranked
     */
    public VideoRetrievalEvaluator(Blip blip, int frames, int kTest, int textBatchSize, int itmBatchSize,
            long cacheBytes) {
        if (frames <= 0 || kTest <= 0 || textBatchSize <= 0 || itmBatchSize <= 0) {
            throw new IllegalArgumentException("frames, k_test and batch sizes must be > 0");
        }
        this.blip = blip;
        this.frames = frames;
        this.kTest = kTest;
        this.textBatchSize = textBatchSize;
        this.itmBatchSize = itmBatchSize;
        this.cacheBytes = cacheBytes;
    }

    public VideoRetrievalEvaluator(Blip blip) {
        this(blip, DEFAULT_FRAMES, DEFAULT_K_TEST, 256, 128, 1L << 30);
    }

    public Result evaluate(VideoSplit split, RetrievalEvaluator.Progress progress) {
        List<VideoSplit.Video> all = split.videos();
        List<Integer> kept = new ArrayList<>();
        List<float[]> videoFeat = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        EmbedCache cache = new EmbedCache(all.size(), cacheBytes);
        progress.phase("video features", all.size());
        for (int i = 0; i < all.size(); i++) {
            List<RgbImage> sampled;
            try {
                sampled = VideoFrames.sample(all.get(i).path(), frames);
            } catch (VideoDecodeException e) {
                skipped.add(e.getMessage());
                progress.advance(1);
                continue;
            }
            int slot = kept.size();
            kept.add(i);
            try (NDManager m = blip.manager().newSubManager()) {
                NDArray fe = Scoped.run(() -> blip.frameEmbeds(sampled, m));
                videoFeat.add(blip.model().videoFeatures(fe).toFloatArray());
                cache.offer(slot, BlipModel.videoTokens(fe), 0);
            }
            progress.advance(1);
        }
        VideoSplit valid = split.subset(kept);
        if (valid.videos().isEmpty()) {
            throw new IllegalArgumentException("no readable video among " + all.size() + ": " + skipped);
        }
        SplitTexts texts = new SplitTexts(blip.tokenizer(), VideoSplit.TEXT, valid.texts());
        float[][] textFeat = new float[texts.size()][];
        int[] every = RetrievalEvaluator.range(texts.size());
        progress.phase("text features", texts.size());
        for (int from = 0; from < texts.size(); from += textBatchSize) {
            int to = Math.min(texts.size(), from + textBatchSize);
            try (NDManager m = blip.manager().newSubManager()) {
                NDArray[] b = texts.batch(every, from, to, false, m);
                RetrievalEvaluator.copyRows(blip.model().textFeatures(b[0], b[1], false), textFeat, from);
            }
            progress.advance(to - from);
        }
        double[][] sims = RetrievalEvaluator.cosine(blip.manager(), videoFeat.toArray(new float[0][]), textFeat);
        int k = kTest;
        RerankPairs pairs = RetrievalEvaluator.plan(sims, k);
        progress.phase("ITM re-ranking", valid.videos().size());
        for (int v = 0; v < valid.videos().size(); v++) {
            int[] ts = pairs.texts(v);
            if (ts.length > 0) {
                pairs.put(v, matchLogits(valid.videos().get(v), v, ts, texts, cache));
            }
            progress.advance(1);
        }
        double[][] v2t = ItmRerank.imageToText(sims, k, (video, cands) -> logits(pairs, video, cands, true));
        double[][] t2v = ItmRerank.textToImage(sims, k, (text, cands) -> logits(pairs, text, cands, false));
        RetrievalMetrics metrics = RetrievalRecall.compute(v2t, t2v, valid.txt2video(), valid.video2txt());
        return new Result(metrics, valid.videos().size(), valid.texts().size(), skipped, sims);
    }

    private static double[] logits(RerankPairs pairs, int row, int[] cands, boolean rowIsVideo) {
        double[] out = new double[cands.length];
        for (int j = 0; j < cands.length; j++) {
            out[j] = rowIsVideo ? pairs.logit(row, cands[j]) : pairs.logit(cands[j], row);
        }
        return out;
    }

    /** Raw ITM match logits (class 1) of one video against some texts. */
    private float[] matchLogits(VideoSplit.Video video, int slot, int[] ts, SplitTexts texts,
            EmbedCache cache) {
        float[] out = new float[ts.length];
        try (NDManager m = blip.manager().newSubManager()) {
            NDArray tokens = cache.get(slot, m);
            if (tokens == null) {
                List<RgbImage> sampled = VideoFrames.sample(video.path(), frames);
                tokens = Scoped.run(() -> BlipModel.videoTokens(blip.frameEmbeds(sampled, m)));
            }
            NDArray enc = tokens;
            for (int from = 0; from < ts.length; from += itmBatchSize) {
                int to = Math.min(ts.length, from + itmBatchSize);
                int f = from;
                float[] two = Scoped.run(() -> {
                    NDArray[] b = texts.batch(ts, f, to, true, m);
                    return blip.model().itmLogits(b[0], b[1], enc, false);
                }).toFloatArray();
                for (int j = from; j < to; j++) {
                    out[j] = two[2 * (j - from) + 1];
                }
            }
        }
        return out;
    }
}
