package org.blip4j.image;

/**
 * 8-bit RGB (HWC) to normalised float32 CHW, reproducing torchvision {@code ToTensor()} + {@code Normalize}:
 * {@code x = v / 255f} then {@code (x - mean) / std}, every step in float32 and in that order, so results match
 * the Python reference bit for bit.
 */
public final class PixelNormalizer {
    /** OpenAI CLIP statistics used by BLIP (and HF {@code OPENAI_CLIP_MEAN/STD}). */
    static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};
    /** HF's {@code rescale_factor} for ToTensor-style scaling; it is the double nearest to 1/255. */
    static final double INV_255 = 1.0 / 255.0;

    private final boolean rescale;
    private final double rescaleFactor;
    private final boolean normalize;
    private final float[] mean;
    private final float[] std;

    /** ToTensor + Normalize(mean, std). */
    public PixelNormalizer(float[] mean, float[] std) {
        this(true, INV_255, true, mean, std);
    }

    PixelNormalizer(boolean rescale, double rescaleFactor, boolean normalize, float[] mean, float[] std) {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values (R, G, B), got " + mean.length
                    + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("std values must be positive and finite, got " + s);
            }
        }
        this.rescale = rescale;
        this.rescaleFactor = rescaleFactor;
        this.normalize = normalize;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** CLIP mean/std, the BLIP default. */
    public static PixelNormalizer clip() {
        return new PixelNormalizer(CLIP_MEAN, CLIP_STD);
    }

    /** Channel-major {@code [3, height, width]} float array. */
    public float[] toChw(RgbImage img) {
        float[][] lut = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = value(v, c);
            }
        }
        int plane = img.width() * img.height();
        float[] out = new float[3 * plane];
        byte[] d = img.data();
        for (int i = 0, p = 0; i < plane; i++, p += 3) {
            out[i] = lut[0][d[p] & 0xFF];
            out[plane + i] = lut[1][d[p + 1] & 0xFF];
            out[2 * plane + i] = lut[2][d[p + 2] & 0xFF];
        }
        return out;
    }

    private float value(int v, int channel) {
        float x;
        if (!rescale) {
            x = v;
        } else if (rescaleFactor == INV_255) {
            x = v / 255f; // torchvision ToTensor divides in float32
        } else {
            x = (float) (v * rescaleFactor); // HF rescale multiplies in float64, then casts
        }
        return normalize ? (x - mean[channel]) / std[channel] : x;
    }
}
