package org.blip4j.task.retrieval;

import java.util.Arrays;

/**
 * The (image, text) pairs the ITM head must score, grouped by image, and their match logits. Both directions ask
 * for pairs: i2t the top-k texts of every image, t2i every text's top-k images. A pair's logit does not depend on
 * the direction, so each pair is scored once, and each image's texts in one grouped forward (its cross-attention
 * keys/values projected once) - which also means each image is encoded at most once while re-ranking.
 */
final class RerankPairs {
    private final int[][] texts;
    private final int[] sizes;
    private final float[][] logits;
    private boolean frozen;

    RerankPairs(int images) {
        this.texts = new int[images][];
        this.sizes = new int[images];
        this.logits = new float[images][];
    }

    void request(int image, int text) {
        if (frozen) {
            throw new IllegalStateException("pairs are already being scored");
        }
        int[] row = texts[image];
        if (row == null) {
            row = texts[image] = new int[8];
        } else if (sizes[image] == row.length) {
            row = texts[image] = Arrays.copyOf(row, row.length * 2);
        }
        row[sizes[image]++] = text;
    }

    /** Sorts and de-duplicates every image's requests; afterwards {@link #texts(int)} is the scoring order. */
    void freeze() {
        for (int i = 0; i < texts.length; i++) {
            int[] row = texts[i] == null ? new int[0] : Arrays.copyOf(texts[i], sizes[i]);
            texts[i] = Arrays.stream(row).sorted().distinct().toArray();
        }
        frozen = true;
    }

    int[] texts(int image) {
        return texts[image];
    }

    long total() {
        long n = 0;
        for (int[] row : texts) {
            n += row.length;
        }
        return n;
    }

    /** Logits for {@link #texts(int)} of this image, same order. */
    void put(int image, float[] matchLogits) {
        if (matchLogits.length != texts[image].length) {
            throw new IllegalArgumentException(matchLogits.length + " logits for " + texts[image].length + " texts");
        }
        logits[image] = matchLogits;
    }

    double logit(int image, int text) {
        int at = logits[image] == null ? -1 : Arrays.binarySearch(texts[image], text);
        if (at < 0) {
            throw new IllegalStateException("ITM logit of image " + image + " and text " + text + " was not computed");
        }
        return logits[image][at];
    }
}
