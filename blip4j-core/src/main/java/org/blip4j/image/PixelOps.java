package org.blip4j.image;

/**
 * Per-channel lookup-table and filter operations of BLIP's {@code transform/randaugment.py}, which are written
 * to match PIL's {@code ImageOps} / {@code ImageEnhance}.
 */
public final class PixelOps {
    private PixelOps() {
    }

    /**
     * Per channel, stretch [min, max] to [0, 255] (cutoff 0); a constant channel is unchanged. Table entries are
     * {@code (int) clip(v * scale - min * scale)} in double, as in PIL and BLIP, so the top entry can be 254 for
     * some ranges.
     *
     * <p>With {@code blipUint8Quirk}, BLIP's numpy bug is reproduced: there {@code -low} negates a {@code uint8}
     * scalar, which wraps to {@code 256 - low}, so every channel with min > 0 (and max > min) becomes all 255.
     */
    public static RgbImage autoContrast(RgbImage img, boolean blipUint8Quirk) {
        int[][] minMax = minMax(img);
        int[][] luts = new int[3][];
        for (int c = 0; c < 3; c++) {
            int low = minMax[c][0];
            int high = minMax[c][1];
            int[] lut = identity();
            if (high > low) {
                double scale = 255.0 / (high - low);
                double offset = blipUint8Quirk && low > 0 ? (256 - low) * scale : -low * scale;
                for (int v = 0; v < 256; v++) {
                    lut[v] = (int) Math.min(255.0, Math.max(0.0, v * scale + offset));
                }
            }
            luts[c] = lut;
        }
        return applyLuts(img, luts);
    }

    /** {@link #autoContrast(RgbImage, boolean)} with the intended (PIL) semantics. */
    public static RgbImage autoContrast(RgbImage img) {
        return autoContrast(img, false);
    }

    /**
     * PIL {@code ImageOps.equalize}, per channel: {@code step = (sum of non-zero bins except the last one) / 255};
     * {@code lut[i] = (step / 2 + sum(hist[0..i))) / step}, clipped; channels with step 0 are unchanged.
     */
    public static RgbImage equalize(RgbImage img) {
        long[][] hist = histograms(img);
        int[][] luts = new int[3][];
        for (int c = 0; c < 3; c++) {
            luts[c] = equalizeLut(hist[c]);
        }
        return applyLuts(img, luts);
    }

    static int[] equalizeLut(long[] hist) {
        long total = 0;
        long last = 0;
        for (long h : hist) {
            if (h != 0) {
                total += h;
                last = h;
            }
        }
        long step = (total - last) / 255;
        if (step == 0) {
            return identity();
        }
        int[] lut = new int[256];
        long n = step / 2;
        for (int i = 0; i < 256; i++) {
            lut[i] = (int) Math.min(255, n / step);
            n += hist[i];
        }
        return lut;
    }

    /** {@code clip(v * factor)} in float32, truncated (BLIP {@code brightness_func}); factor 1 is the identity. */
    public static RgbImage brightness(RgbImage img, double factor) {
        int[] lut = new int[256];
        for (int v = 0; v < 256; v++) {
            lut[v] = (int) Math.min(255f, Math.max(0f, v * (float) factor));
        }
        return applyLuts(img, new int[][] {lut, lut, lut});
    }

    /**
     * BLIP {@code sharpness_func}: blend with a 3x3 smoothing (centre 5, others 1, /13) on interior pixels:
     * {@code degenerate + factor * (img - degenerate)}; the 1-pixel border is kept. Factor 1 is the identity.
     * Out-of-range results are clipped (numpy's uint8 cast of such values is undefined).
     */
    public static RgbImage sharpness(RgbImage img, double factor) {
        if (factor == 1.0) {
            return img;
        }
        int w = img.width();
        int h = img.height();
        byte[] src = img.data();
        byte[] out = src.clone();
        float f = (float) factor;
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            sum += src[((y + dy) * w + x + dx) * 3 + c] & 0xFF;
                        }
                    }
                    int centre = src[(y * w + x) * 3 + c] & 0xFF;
                    // cv2.filter2D on uint8 rounds the smoothed value back to uint8
                    float degenerate = (float) Math.rint((sum + 4 * centre) / 13.0);
                    float v = degenerate + f * (centre - degenerate);
                    out[(y * w + x) * 3 + c] = (byte) Math.min(255f, Math.max(0f, v));
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    private static int[] identity() {
        int[] lut = new int[256];
        for (int i = 0; i < 256; i++) {
            lut[i] = i;
        }
        return lut;
    }

    private static int[][] minMax(RgbImage img) {
        int[][] mm = {{255, 0}, {255, 0}, {255, 0}};
        byte[] d = img.data();
        for (int i = 0; i < d.length; i++) {
            int v = d[i] & 0xFF;
            int[] m = mm[i % 3];
            m[0] = Math.min(m[0], v);
            m[1] = Math.max(m[1], v);
        }
        return mm;
    }

    static long[][] histograms(RgbImage img) {
        long[][] hist = new long[3][256];
        byte[] d = img.data();
        for (int i = 0; i < d.length; i++) {
            hist[i % 3][d[i] & 0xFF]++;
        }
        return hist;
    }

    private static RgbImage applyLuts(RgbImage img, int[][] luts) {
        byte[] d = img.data();
        byte[] out = new byte[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (byte) luts[i % 3][d[i] & 0xFF];
        }
        return new RgbImage(img.width(), img.height(), out);
    }
}
