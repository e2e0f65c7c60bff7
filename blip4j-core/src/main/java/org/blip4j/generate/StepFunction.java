package org.blip4j.generate;

/** The one step every decoding strategy shares: feed new tokens per row, get next-token logits per row. */
public interface StepFunction {
    /**
     * @param newTokens per row the tokens not yet fed (the whole prompt first, then one token per step)
     * @return next-token logits per row, shape [rows][vocab]
     */
    float[][] step(long[][] newTokens);

    /** Reorders rows (beam search): new row i continues old row {@code rows[i]}. */
    void reorder(int[] rows);
}
