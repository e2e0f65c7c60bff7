package org.blip4j.data;

/**
 * Where an epoch continues: the next batch's index and the position (in the epoch's sample order) of the first
 * sample not yet consumed. Every {@link Batch} carries the point just after it; store that in a checkpoint.
 *
 * <p>The position, not just the batch index, is needed because skipped images shift batch boundaries: batch k
 * starts at {@code k * batchSize} only if nothing before it was skipped. Resuming from a stored point yields
 * exactly the batches the uninterrupted run would have produced next (same files, seed and settings), without
 * decoding anything before it. Without a stored point, {@link DataLoader#locate(int, int)} recomputes it by
 * decoding (not augmenting) the earlier images.
 */
public record ResumePoint(int epoch, int batchIndex, int position) {
    public ResumePoint {
        if (epoch < 0 || batchIndex < 0 || position < 0) {
            throw new IllegalArgumentException("negative resume point " + epoch + "/" + batchIndex + "/" + position);
        }
    }

    /** The start of an epoch. */
    public static ResumePoint startOf(int epoch) {
        return new ResumePoint(epoch, 0, 0);
    }
}
