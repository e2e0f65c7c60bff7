package org.blip4j.task.retrieval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * ViT output sequences (1+P, D) kept on the Java heap between the ITC pass and re-ranking, up to a byte budget.
 * The original keeps all of them (5k COCO images at ViT-B/384 are 8.9 GB); here the first images that fit are
 * kept and the rest are encoded again when re-ranked, so memory stays bounded whatever the split size.
 */
final class EmbedCache {
    private final float[][] rows;
    private final long budget;
    private long used;
    private int count;
    private Shape rowShape;

    EmbedCache(int images, long budgetBytes) {
        this.rows = new float[images][];
        this.budget = budgetBytes;
    }

    /** Keeps image {@code i}'s embeddings ({@code embeds} row {@code row} of (B, 1+P, D)) if they fit. */
    void offer(int i, NDArray embeds, int row) {
        long perImage = 4L * embeds.getShape().get(1) * embeds.getShape().get(2);
        if (used + perImage > budget) {
            return;
        }
        rows[i] = embeds.get(row).toFloatArray();
        rowShape = new Shape(1, embeds.getShape().get(1), embeds.getShape().get(2));
        used += perImage;
        count++;
    }

    /** Image {@code i}'s embeddings as (1, 1+P, D) on {@code m}, or null if they were not kept. */
    NDArray get(int i, NDManager m) {
        return rows[i] == null ? null : m.create(rows[i], rowShape);
    }

    int count() {
        return count;
    }
}
