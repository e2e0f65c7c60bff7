package org.blip4j.image;

/**
 * Port of OpenCV {@code cv2.warpAffine(img, M, (W, H), flags=INTER_LINEAR, borderMode=BORDER_CONSTANT,
 * borderValue=fill)} for uint8 RGB, which BLIP's RandAugment uses for shear, translate and rotate.
 *
 * <p>OpenCV inverts the forward matrix, maps every output pixel back with 10-bit fixed-point coordinates rounded
 * to 1/32 pixel, and blends the 4 neighbours with 15-bit integer weights; neighbours outside the image take the
 * fill value. The same arithmetic is used here.
 */
public final class AffineWarp {
    private static final int AB_BITS = 10;
    private static final int AB_SCALE = 1 << AB_BITS;
    private static final int INTER_BITS = 5;
    private static final int INTER_TAB_SIZE = 1 << INTER_BITS;
    private static final int ROUND_DELTA = AB_SCALE / INTER_TAB_SIZE / 2;
    private static final int COEF_BITS = 15;

    private AffineWarp() {
    }

    /** {@code warpAffine} with the forward 2x3 matrix {@code m = {m00, m01, m02, m10, m11, m12}} (src -> dst). */
    public static RgbImage warp(RgbImage src, double[] m, int fill) {
        if (m.length != 6) {
            throw new IllegalArgumentException("affine matrix needs 6 values, got " + m.length);
        }
        // OpenCV's in-place inversion (warpAffine without WARP_INVERSE_MAP).
        double d = m[0] * m[4] - m[1] * m[3];
        d = d != 0 ? 1.0 / d : 0;
        double i0 = m[4] * d;
        double i1 = m[1] * -d;
        double i3 = m[3] * -d;
        double i4 = m[0] * d;
        double i2 = -i0 * m[2] - i1 * m[5];
        double i5 = -i3 * m[2] - i4 * m[5];

        int w = src.width();
        int h = src.height();
        int[] adelta = new int[w];
        int[] bdelta = new int[w];
        for (int x = 0; x < w; x++) {
            adelta[x] = saturateInt(i0 * x * AB_SCALE);
            bdelta[x] = saturateInt(i3 * x * AB_SCALE);
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            int x0 = saturateInt((i1 * y + i2) * AB_SCALE) + ROUND_DELTA;
            int y0 = saturateInt((i4 * y + i5) * AB_SCALE) + ROUND_DELTA;
            for (int x = 0; x < w; x++) {
                int fxX = (x0 + adelta[x]) >> (AB_BITS - INTER_BITS);
                int fxY = (y0 + bdelta[x]) >> (AB_BITS - INTER_BITS);
                sample(src, fxX >> INTER_BITS, fxY >> INTER_BITS, fxX & (INTER_TAB_SIZE - 1),
                        fxY & (INTER_TAB_SIZE - 1), fill, out, (y * w + x) * 3);
            }
        }
        return new RgbImage(w, h, out);
    }

    /** BLIP {@code shear_x_func}: forward matrix {@code [[1, f, 0], [0, 1, 0]]} built in float32. */
    public static RgbImage shearX(RgbImage img, double factor, int fill) {
        return warp(img, new double[] {1, (float) factor, 0, 0, 1, 0}, fill);
    }

    /** BLIP {@code shear_y_func}: forward matrix {@code [[1, 0, 0], [f, 1, 0]]} built in float32. */
    public static RgbImage shearY(RgbImage img, double factor, int fill) {
        return warp(img, new double[] {1, 0, 0, (float) factor, 1, 0}, fill);
    }

    /** BLIP {@code translate_x_func}: moves content by {@code -offset} pixels (left for positive offsets). */
    public static RgbImage translateX(RgbImage img, double offset, int fill) {
        return warp(img, new double[] {1, 0, (float) -offset, 0, 1, 0}, fill);
    }

    /** BLIP {@code translate_y_func}: moves content by {@code -offset} pixels (up for positive offsets). */
    public static RgbImage translateY(RgbImage img, double offset, int fill) {
        return warp(img, new double[] {1, 0, 0, 0, 1, (float) -offset}, fill);
    }

    /** {@code cv2.getRotationMatrix2D((W/2, H/2), degrees, 1)}: positive = counter-clockwise on screen. */
    public static RgbImage rotate(RgbImage img, double degrees, int fill) {
        double angle = degrees * Math.PI / 180;
        double alpha = Math.cos(angle);
        double beta = Math.sin(angle);
        double cx = (float) (img.width() / 2.0);
        double cy = (float) (img.height() / 2.0);
        return warp(img, new double[] {alpha, beta, (1 - alpha) * cx - beta * cy,
                -beta, alpha, beta * cx + (1 - alpha) * cy}, fill);
    }

    /** OpenCV {@code remapBilinear} for one pixel with a constant border. */
    private static void sample(RgbImage src, int sx, int sy, int fx, int fy, int fill, byte[] out, int o) {
        int w = src.width();
        int h = src.height();
        if (sx >= w || sx + 1 < 0 || sy >= h || sy + 1 < 0) {
            out[o] = out[o + 1] = out[o + 2] = (byte) fill;
            return;
        }
        // Weights from OpenCV's table: products of (32 - f) and f, scaled to sum to 1 << 15.
        int w00 = (INTER_TAB_SIZE - fx) * (INTER_TAB_SIZE - fy) * 32;
        int w01 = fx * (INTER_TAB_SIZE - fy) * 32;
        int w10 = (INTER_TAB_SIZE - fx) * fy * 32;
        int w11 = fx * fy * 32;
        byte[] d = src.data();
        for (int c = 0; c < 3; c++) {
            int acc = w00 * pixel(d, w, h, sx, sy, c, fill) + w01 * pixel(d, w, h, sx + 1, sy, c, fill)
                    + w10 * pixel(d, w, h, sx, sy + 1, c, fill) + w11 * pixel(d, w, h, sx + 1, sy + 1, c, fill);
            out[o + c] = (byte) Math.min(255, (acc + (1 << (COEF_BITS - 1))) >> COEF_BITS);
        }
    }

    private static int pixel(byte[] d, int w, int h, int x, int y, int c, int fill) {
        return x >= 0 && y >= 0 && x < w && y < h ? d[(y * w + x) * 3 + c] & 0xFF : fill;
    }

    /** OpenCV {@code saturate_cast<int>(double)}: round half to even, clamp. */
    private static int saturateInt(double v) {
        double r = Math.rint(v);
        return r >= Integer.MAX_VALUE ? Integer.MAX_VALUE : r <= Integer.MIN_VALUE ? Integer.MIN_VALUE : (int) r;
    }
}
