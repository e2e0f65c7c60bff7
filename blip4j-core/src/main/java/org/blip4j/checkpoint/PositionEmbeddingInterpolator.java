package org.blip4j.checkpoint;

/**
 * Resizes ViT position embeddings to another patch grid as BLIP's {@code interpolate_pos_embed} does (spec §2.5):
 * the leading class-token row is kept, the patch rows are treated as a g×g image with D channels and resized with
 * PyTorch {@code F.interpolate(mode='bicubic', align_corners=False)} semantics (cubic convolution a = -0.75,
 * source coordinate (dst + 0.5)·in/out − 0.5, taps clamped to the border, no antialiasing), in float32 like
 * PyTorch's CPU kernel.
 */
public final class PositionEmbeddingInterpolator {
    private static final float A = -0.75f;

    private PositionEmbeddingInterpolator() {
    }

    /**
     * @param posEmbed (1, extra + g_old², D) or (extra + g_old², D)
     * @param newGrid  g_new
     * @return same rank, (.., extra + g_new², D), float32; the input itself when the grid already matches
     */
    public static RawTensor interpolate(RawTensor posEmbed, int newGrid) {
        return interpolate(posEmbed, newGrid, 1);
    }

    public static RawTensor interpolate(RawTensor posEmbed, int newGrid, int extraTokens) {
        long[] shape = posEmbed.shape();
        if ((shape.length != 3 || shape[0] != 1) && shape.length != 2) {
            throw new IllegalArgumentException("position embedding must be (1, N, D) or (N, D), got "
                    + posEmbed.shapeString());
        }
        int n = (int) shape[shape.length - 2];
        int dim = (int) shape[shape.length - 1];
        int patches = n - extraTokens;
        int oldGrid = (int) Math.round(Math.sqrt(patches));
        if (patches <= 0 || oldGrid * oldGrid != patches) {
            throw new IllegalArgumentException("position embedding " + posEmbed.shapeString() + " with "
                    + extraTokens + " extra token(s) is not a square grid");
        }
        if (newGrid <= 0) {
            throw new IllegalArgumentException("new grid must be positive, got " + newGrid);
        }
        if (newGrid == oldGrid) {
            return posEmbed;
        }
        float[] src = posEmbed.toFloats();
        float[] dst = new float[(extraTokens + newGrid * newGrid) * dim];
        System.arraycopy(src, 0, dst, 0, extraTokens * dim);
        // rows are (y, x) grid positions, columns channels: a channels-last image
        float[] resized = resizeChannelsLast(src, extraTokens * dim, dim, oldGrid, oldGrid, newGrid, newGrid);
        System.arraycopy(resized, 0, dst, extraTokens * dim, resized.length);
        long[] out = shape.clone();
        out[out.length - 2] = extraTokens + (long) newGrid * newGrid;
        return RawTensor.ofFloats(dst, out);
    }

    /** Bicubic resize of an (inH, inW, C) channels-last image starting at {@code offset} in {@code src}. */
    static float[] resizeChannelsLast(float[] src, int offset, int channels, int inH, int inW, int outH, int outW) {
        int[][] yIdx = new int[outH][];
        float[][] yW = new float[outH][];
        taps(inH, outH, yIdx, yW);
        int[][] xIdx = new int[outW][];
        float[][] xW = new float[outW][];
        taps(inW, outW, xIdx, xW);
        float[] out = new float[outH * outW * channels];
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                int o = (oy * outW + ox) * channels;
                for (int c = 0; c < channels; c++) {
                    // x first, then y, as PyTorch's separable kernel accumulates
                    float acc = 0f;
                    for (int i = 0; i < 4; i++) {
                        int row = offset + yIdx[oy][i] * inW * channels + c;
                        float r = 0f;
                        for (int j = 0; j < 4; j++) {
                            r += src[row + xIdx[ox][j] * channels] * xW[ox][j];
                        }
                        acc += r * yW[oy][i];
                    }
                    out[o + c] = acc;
                }
            }
        }
        return out;
    }

    /**
     * The four source indices (clamped) and cubic weights of each output position along one axis. The rounding
     * mirrors PyTorch's CPU build (checked against torch 1.13 one-hot probes): the source coordinate stays in double
     * until the fraction t is taken, and the compiler fuses the inner steps of the kernel polynomials into FMAs.
     */
    private static void taps(int in, int out, int[][] idx, float[][] w) {
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            double real = scale * (d + 0.5) - 0.5; // not clamped at 0 for cubic
            int i0 = (int) Math.floor((float) real);
            float t = (float) (real - i0);
            idx[d] = new int[4];
            for (int k = 0; k < 4; k++) {
                idx[d][k] = Math.min(Math.max(i0 - 1 + k, 0), in - 1);
            }
            float t2 = 1f - t;
            w[d] = new float[] {cubic2(t + 1f), cubic1(t), cubic1(t2), cubic2(t2 + 1f)};
        }
    }

    /** |x| ≤ 1 branch of the cubic convolution kernel: ((A+2)x − (A+3))·x·x + 1. */
    private static float cubic1(float x) {
        float s = Math.fma(A + 2f, x, -(A + 3f));
        return s * x * x + 1f;
    }

    /** 1 < |x| < 2 branch: ((Ax − 5A)·x + 8A)·x − 4A. */
    private static float cubic2(float x) {
        float s = Math.fma(Math.fma(A, x, -5f * A), x, 8f * A);
        return s * x - 4f * A;
    }
}
