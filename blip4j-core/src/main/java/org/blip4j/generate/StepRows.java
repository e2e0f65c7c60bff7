package org.blip4j.generate;

import java.nio.FloatBuffer;

/** Row layout shared by the step functions: new tokens in as one flat (rows, len) block, logits out per row. */
public final class StepRows {
    private StepRows() {
    }

    /** newTokens (rows × len, every row the same length) → one row-major block; fails on a wrong row count. */
    public static long[] flatten(long[][] newTokens, int rows) {
        if (newTokens.length != rows) {
            throw new IllegalArgumentException("expected " + rows + " rows, got " + newTokens.length);
        }
        int len = newTokens[0].length;
        long[] flat = new long[rows * len];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(newTokens[r], 0, flat, r * len, len);
        }
        return flat;
    }

    /**
     * A row-major (rows, vocab) block → one array per row, read from the buffer's absolute positions. A buffer
     * rather than one flat array: a step's whole block is over a megabyte, which the JVM allocates as a
     * humongous object and answers with a garbage-collection cycle, at every step.
     */
    public static float[][] split(FloatBuffer values, int rows) {
        int vocab = values.capacity() / rows;
        float[][] out = new float[rows][vocab];
        for (int r = 0; r < rows; r++) {
            values.get(r * vocab, out[r], 0, vocab);
        }
        return out;
    }
}
