package org.blip4j.task.retrieval;

import java.util.Objects;
import org.blip4j.task.TextOptions;

/**
 * Settings of {@link RetrievalEvaluator}.
 *
 * @param kTest           candidates per query re-scored by ITM (256 COCO, 128 Flickr30K in BLIP's configs); capped at
 *                        the number of candidates
 * @param imageBatchSize  images per ViT forward in the ITC pass
 * @param textBatchSize   texts per forward in the ITC pass
 * @param itmBatchSize    texts per image-grounded forward while re-ranking (all against one image)
 * @param embedCacheBytes how much ViT output (the (1+P, D) float sequences) to keep in memory between the ITC pass
 *                        and re-ranking; images beyond it are decoded and encoded again when re-ranked
 * @param text            pre_caption (30 words) and tokenizer max length (35), as the original
 * @param keepScores      return the cosine and score matrices, not just the recalls
 */
public record RetrievalEvaluatorOptions(int kTest, int imageBatchSize, int textBatchSize, int itmBatchSize,
                                        long embedCacheBytes, TextOptions text, boolean keepScores) {
    public static final int DEFAULT_K_TEST = 256;
    /** Cap of the default cache: about 600 ViT-B/384 images (577 x 768 floats each). */
    public static final long DEFAULT_CACHE_CAP = 1L << 30;

    public RetrievalEvaluatorOptions {
        if (kTest < 1) {
            throw new IllegalArgumentException("k_test must be >= 1, got " + kTest);
        }
        if (imageBatchSize < 1 || textBatchSize < 1 || itmBatchSize < 1) {
            throw new IllegalArgumentException("batch sizes must be >= 1, got " + imageBatchSize + "/"
                    + textBatchSize + "/" + itmBatchSize);
        }
        if (embedCacheBytes < 0) {
            throw new IllegalArgumentException("embedding cache budget must be >= 0 bytes, got " + embedCacheBytes);
        }
        Objects.requireNonNull(text, "text");
    }

    /** k_test 256; cache min(1 GiB, a quarter of the heap), since the cache lives on the Java heap. */
    public static RetrievalEvaluatorOptions defaults() {
        long cache = Math.min(DEFAULT_CACHE_CAP, Runtime.getRuntime().maxMemory() / 4);
        return new RetrievalEvaluatorOptions(DEFAULT_K_TEST, 16, 128, 128, cache, TextOptions.retrieval(), false);
    }

    public RetrievalEvaluatorOptions withKTest(int k) {
        return new RetrievalEvaluatorOptions(k, imageBatchSize, textBatchSize, itmBatchSize, embedCacheBytes, text,
                keepScores);
    }

    public RetrievalEvaluatorOptions withBatchSizes(int images, int texts, int itm) {
        return new RetrievalEvaluatorOptions(kTest, images, texts, itm, embedCacheBytes, text, keepScores);
    }

    public RetrievalEvaluatorOptions withEmbedCacheBytes(long bytes) {
        return new RetrievalEvaluatorOptions(kTest, imageBatchSize, textBatchSize, itmBatchSize, bytes, text,
                keepScores);
    }

    public RetrievalEvaluatorOptions withKeepScores(boolean keep) {
        return new RetrievalEvaluatorOptions(kTest, imageBatchSize, textBatchSize, itmBatchSize, embedCacheBytes, text,
                keep);
    }
}
