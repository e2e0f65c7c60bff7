package org.blip4j.image;

/**
 * Bit-exact port of Pillow 9.4 {@code Image.resize} for 8-bit RGB images ({@code _imaging.c:_resize},
 * {@code libImaging/Resample.c}, {@code Geometry.c:ImagingScaleAffine} for NEAREST).
 *
 * <p>Convolution filters are separable: coefficients are computed in double, with the kernel widened by the
 * downscale factor (that is Pillow's antialiasing), normalised to sum 1, then converted to fixed point with 22
 * fractional bits. The horizontal pass runs first, only over the source rows the vertical pass will read, and
 * writes a rounded, clipped 8-bit intermediate; then the vertical pass. A pass is skipped when its axis keeps its
 * size and the box spans the full axis. If size and box are unchanged the input is returned as-is (a copy in PIL).
 */
public final class PilResampler {
    /** 32 bits minus 8 for the pixel value minus 2 for the sign and coefficient overshoot. */
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResampler() {
    }

    /** {@code img.resize((width, height), filter)}. */
    public static RgbImage resize(RgbImage img, int width, int height, ResampleFilter filter) {
        return resize(img, width, height, filter, 0f, 0f, img.width(), img.height());
    }

    /**
     * {@code img.resize((width, height), filter, box=(x0, y0, x1, y1))}: the source region {@code box} (float
     * coordinates, as Pillow keeps them in C {@code float}) is scaled to {@code width x height}.
     */
    public static RgbImage resize(RgbImage img, int width, int height, ResampleFilter filter,
                                  float x0, float y0, float x1, float y1) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        if (x0 < 0 || y0 < 0 || x1 > img.width() || y1 > img.height() || x1 < x0 || y1 < y0) {
            throw new IllegalArgumentException("box (" + x0 + ", " + y0 + ", " + x1 + ", " + y1
                    + ") must lie inside the " + img.width() + "x" + img.height() + " image with x0<=x1, y0<=y1");
        }
        if (width == img.width() && height == img.height() && x0 == 0 && y0 == 0
                && x1 == img.width() && y1 == img.height()) {
            return img;
        }
        if (filter == ResampleFilter.NEAREST) {
            return nearest(img, width, height, x0, y0, x1, y1);
        }
        return convolve(img, width, height, filter, new float[] {x0, y0, x1, y1});
    }

    // ---------------------------------------------------------------- convolution (ImagingResampleInner)

    /** Per output index: first source index, tap count, and {@code ksize} fixed-point weights. */
    private record Coefficients(int[] bounds, int[] weights, int ksize) {
        int first(int i) {
            return bounds[2 * i];
        }

        int count(int i) {
            return bounds[2 * i + 1];
        }
    }

    private static RgbImage convolve(RgbImage img, int width, int height, ResampleFilter filter, float[] box) {
        // Same odd-looking test as Resample.c (box[2] compared with the *output* size).
        boolean needHorizontal = width != img.width() || box[0] != 0 || box[2] != width;
        boolean needVertical = height != img.height() || box[1] != 0 || box[3] != height;
        Coefficients horiz = precompute(img.width(), box[0], box[2], width, filter);
        Coefficients vert = precompute(img.height(), box[1], box[3], height, filter);

        byte[] src = img.data();
        int srcW = img.width();
        int srcH = img.height();
        if (needHorizontal) {
            // Only rows the vertical pass will touch; vertical bounds are shifted accordingly.
            int yFirst = vert.first(0);
            int yLast = vert.first(height - 1) + vert.count(height - 1);
            for (int i = 0; i < height; i++) {
                vert.bounds[2 * i] -= yFirst;
            }
            src = horizontalPass(src, srcW, yFirst, yLast - yFirst, width, horiz);
            srcW = width;
            srcH = yLast - yFirst;
        }
        if (needVertical) {
            src = verticalPass(src, srcW, height, vert);
            srcH = height;
        }
        return new RgbImage(srcW, srcH, src == img.data() ? src.clone() : src);
    }

    /** {@code precompute_coeffs} followed by {@code normalize_coeffs_8bpc}. */
    private static Coefficients precompute(int inSize, float in0, float in1, int outSize, ResampleFilter filter) {
        double scale = (double) (in1 - in0) / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filter.support() * filterScale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] bounds = new int[outSize * 2];
        int[] weights = new int[outSize * ksize];
        double[] k = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = in0 + (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = Math.max((int) (center - support + 0.5), 0); // (int) truncates like the C cast
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double ww = 0.0;
            for (int x = 0; x < xmax; x++) {
                double w = filter.weight((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < xmax; x++) {
                double w = ww != 0.0 ? k[x] / ww : k[x];
                weights[xx * ksize + x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS))
                        : (int) (0.5 + w * (1 << PRECISION_BITS));
            }
            bounds[2 * xx] = xmin;
            bounds[2 * xx + 1] = xmax;
        }
        return new Coefficients(bounds, weights, ksize);
    }

    private static byte[] horizontalPass(byte[] src, int srcW, int yOffset, int rows, int outW, Coefficients c) {
        byte[] out = new byte[rows * outW * 3];
        for (int yy = 0; yy < rows; yy++) {
            int rowBase = (yy + yOffset) * srcW * 3;
            for (int xx = 0; xx < outW; xx++) {
                int xmin = c.first(xx);
                int n = c.count(xx);
                int kBase = xx * c.ksize();
                int s0 = 1 << (PRECISION_BITS - 1);
                int s1 = s0;
                int s2 = s0;
                for (int x = 0; x < n; x++) {
                    int w = c.weights()[kBase + x];
                    int p = rowBase + (xmin + x) * 3;
                    s0 += (src[p] & 0xFF) * w;
                    s1 += (src[p + 1] & 0xFF) * w;
                    s2 += (src[p + 2] & 0xFF) * w;
                }
                int o = (yy * outW + xx) * 3;
                out[o] = clip8(s0);
                out[o + 1] = clip8(s1);
                out[o + 2] = clip8(s2);
            }
        }
        return out;
    }

    private static byte[] verticalPass(byte[] src, int w, int outH, Coefficients c) {
        byte[] out = new byte[outH * w * 3];
        int stride = w * 3;
        for (int yy = 0; yy < outH; yy++) {
            int ymin = c.first(yy);
            int n = c.count(yy);
            int kBase = yy * c.ksize();
            for (int i = 0; i < stride; i++) {
                int s = 1 << (PRECISION_BITS - 1);
                for (int y = 0; y < n; y++) {
                    s += (src[(ymin + y) * stride + i] & 0xFF) * c.weights()[kBase + y];
                }
                out[yy * stride + i] = clip8(s);
            }
        }
        return out;
    }

    private static byte clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    // ---------------------------------------------------------------- NEAREST (ImagingScaleAffine)

    /**
     * Pillow resizes with NEAREST through an affine transform: the source position of output pixel x is
     * {@code box0 + (x + 0.5) * scale}, accumulated in double and truncated; positions outside stay 0.
     */
    private static RgbImage nearest(RgbImage img, int width, int height, float x0, float y0, float x1, float y1) {
        double a0 = (double) (x1 - x0) / width;
        double a4 = (double) (y1 - y0) / height;
        int[] xin = new int[width];
        double xo = x0 + a0 * 0.5;
        for (int x = 0; x < width; x++) {
            xin[x] = coord(xo, img.width());
            xo += a0;
        }
        byte[] out = new byte[width * height * 3];
        double yo = y0 + a4 * 0.5;
        for (int y = 0; y < height; y++) {
            int yi = coord(yo, img.height());
            yo += a4;
            if (yi < 0) {
                continue;
            }
            for (int x = 0; x < width; x++) {
                if (xin[x] >= 0) {
                    System.arraycopy(img.data(), (yi * img.width() + xin[x]) * 3, out, (y * width + x) * 3, 3);
                }
            }
        }
        return new RgbImage(width, height, out);
    }

    /** Pillow's {@code COORD} macro plus its bounds check; -1 means "outside, leave the fill value". */
    private static int coord(double v, int size) {
        int i = v < 0.0 ? -1 : (int) v;
        return i < size ? i : -1;
    }
}
