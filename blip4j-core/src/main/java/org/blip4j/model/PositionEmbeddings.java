package org.blip4j.model;

import org.blip4j.checkpoint.RawTensor;

/**
 * Resizes a ViT position embedding (1, 1+g², D) to a new patch grid with PyTorch's bicubic interpolation
 * (a = −0.75, align_corners=False, border-clamped indices, no antialias), keeping the CLS row (blip-spec §2.5).
 */
public final class PositionEmbeddings {
    private static final double A = -0.75;

    private PositionEmbeddings() {
    }

    public static RawTensor interpolate(RawTensor pos, int newNumPatches) {
        long[] s = pos.shape();
        int d = (int) s[2];
        int oldPatches = (int) s[1] - 1;
        int gOld = (int) Math.round(Math.sqrt(oldPatches));
        int gNew = (int) Math.round(Math.sqrt(newNumPatches));
        if (gOld * gOld != oldPatches || gNew * gNew != newNumPatches) {
            throw new IllegalArgumentException("position embedding with " + oldPatches + " patches cannot be resized to "
                    + newNumPatches + " patches: both must be square grids");
        }
        float[] in = pos.toFloats();
        float[] out = new float[(1 + newNumPatches) * d];
        System.arraycopy(in, 0, out, 0, d);
        double scale = (double) gOld / gNew;
        for (int oy = 0; oy < gNew; oy++) {
            double sy = (oy + 0.5) * scale - 0.5;
            int iy = (int) Math.floor(sy);
            double[] wy = weights(sy - iy);
            for (int ox = 0; ox < gNew; ox++) {
                double sx = (ox + 0.5) * scale - 0.5;
                int ix = (int) Math.floor(sx);
                double[] wx = weights(sx - ix);
                for (int c = 0; c < d; c++) {
                    double acc = 0;
                    for (int m = 0; m < 4; m++) {
                        int yy = clamp(iy - 1 + m, gOld);
                        double row = 0;
                        for (int n = 0; n < 4; n++) {
                            int xx = clamp(ix - 1 + n, gOld);
                            row += wx[n] * in[(1 + yy * gOld + xx) * d + c];
                        }
                        acc += wy[m] * row;
                    }
                    out[(1 + oy * gNew + ox) * d + c] = (float) acc;
                }
            }
        }
        return RawTensor.ofFloats(out, 1, 1 + newNumPatches, d);
    }

    private static int clamp(int i, int n) {
        return Math.max(0, Math.min(n - 1, i));
    }

    /** Cubic convolution weights for offsets t+1, t, 1−t, 2−t. */
    private static double[] weights(double t) {
        return new double[] {cubic2(t + 1), cubic1(t), cubic1(1 - t), cubic2(2 - t)};
    }

    private static double cubic1(double x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    private static double cubic2(double x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }
}
