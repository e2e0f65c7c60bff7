package org.blip4j.image;

import java.util.Arrays;

/**
 * Pillow's resampling filters ({@code Image.Resampling}) with their integer codes (as used by HF
 * {@code preprocessor_config.json "resample"}), support radii and kernels from Pillow 9.4 {@code Resample.c}.
 */
public enum ResampleFilter {
    NEAREST(0, 0.0),
    LANCZOS(1, 3.0),
    BILINEAR(2, 1.0),
    BICUBIC(3, 2.0),
    BOX(4, 0.5),
    HAMMING(5, 1.0);

    /** Pillow's bicubic uses a = -0.5 (Keys' cubic), not the a = -0.75 of OpenCV / torch. */
    private static final double BICUBIC_A = -0.5;

    private final int pilCode;
    private final double support;

    ResampleFilter(int pilCode, double support) {
        this.pilCode = pilCode;
        this.support = support;
    }

    /** The filter with PIL integer code {@code code} (0 nearest, 1 lanczos, 2 bilinear, 3 bicubic, 4 box, 5 hamming). */
    public static ResampleFilter fromPilCode(int code) {
        return Arrays.stream(values()).filter(f -> f.pilCode == code).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown PIL resample code " + code
                        + " (expected 0..5: nearest, lanczos, bilinear, bicubic, box, hamming)"));
    }

    public int pilCode() {
        return pilCode;
    }

    /** Kernel radius at scale 1 (widened by the downscale factor when shrinking). */
    double support() {
        return support;
    }

    /** Kernel weight at distance {@code x}, written as in Resample.c so float results match. */
    double weight(double x) {
        switch (this) {
            case BOX:
                return x > -0.5 && x <= 0.5 ? 1.0 : 0.0;
            case BILINEAR:
                x = Math.abs(x);
                return x < 1.0 ? 1.0 - x : 0.0;
            case HAMMING: {
                x = Math.abs(x);
                if (x == 0.0) {
                    return 1.0;
                }
                if (x >= 1.0) {
                    return 0.0;
                }
                x = x * Math.PI;
                return Math.sin(x) / x * (0.54 + 0.46 * Math.cos(x));
            }
            case BICUBIC: {
                x = Math.abs(x);
                if (x < 1.0) {
                    return ((BICUBIC_A + 2.0) * x - (BICUBIC_A + 3.0)) * x * x + 1;
                }
                if (x < 2.0) {
                    return (((x - 5) * x + 8) * x - 4) * BICUBIC_A;
                }
                return 0.0;
            }
            case LANCZOS:
                return -3.0 <= x && x < 3.0 ? sinc(x) * sinc(x / 3) : 0.0;
            default:
                throw new IllegalStateException(this + " is not a convolution filter");
        }
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        x = x * Math.PI;
        return Math.sin(x) / x;
    }
}
