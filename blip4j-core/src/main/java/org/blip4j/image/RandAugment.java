package org.blip4j.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * BLIP's {@code RandomAugment(N, M, isPIL=True, augs=[...])} (orig {@code transform/randaugment.py}): pick N ops
 * uniformly with replacement, apply each with probability 0.5 at level M of 10. Geometric ops fill with gray 128 and
 * flip their sign with probability 0.5. The random draws happen in the original's order: N op choices, then per op the
 * apply coin and (if applied) the sign coin.
 */
public final class RandAugment {
    /** The ops BLIP enables, in BLIP's list order. */
    public enum Op {
        IDENTITY, AUTO_CONTRAST, BRIGHTNESS, SHARPNESS, EQUALIZE, SHEAR_X, SHEAR_Y, TRANSLATE_X, TRANSLATE_Y, ROTATE
    }

    private static final double MAX_LEVEL = 10.0;
    private static final int FILL = 128;
    private static final double TRANSLATE_CONST = 10.0;
    private static final double APPLY_PROBABILITY = 0.5;

    private final int n;
    private final int m;
    private final boolean blipAutoContrastQuirk;

    /** BLIP's setting is {@code RandAugment(2, 5)}. */
    public RandAugment(int n, int m) {
        this(n, m, false);
    }

    /**
     * @param blipAutoContrastQuirk reproduce the uint8-negation bug of BLIP's numpy autocontrast (see
     *                              {@link PixelOps#autoContrast(RgbImage, boolean)}) instead of PIL semantics
     */
    public RandAugment(int n, int m, boolean blipAutoContrastQuirk) {
        if (n < 0 || m < 0 || m > MAX_LEVEL) {
            throw new IllegalArgumentException("need N >= 0 and 0 <= M <= 10, got N=" + n + ", M=" + m);
        }
        this.n = n;
        this.m = m;
        this.blipAutoContrastQuirk = blipAutoContrastQuirk;
    }

    /** The ops chosen for one image (before the per-op apply coin). */
    List<Op> sampleOps(Random rnd) {
        Op[] all = Op.values();
        List<Op> ops = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ops.add(all[rnd.nextInt(all.length)]);
        }
        return ops;
    }

    public RgbImage apply(RgbImage img, Random rnd) {
        for (Op op : sampleOps(rnd)) {
            if (rnd.nextDouble() > APPLY_PROBABILITY) {
                continue;
            }
            img = apply(op, img, rnd);
        }
        return img;
    }

    /** One op at this instance's level; draws the sign coin for geometric ops. */
    RgbImage apply(Op op, RgbImage img, Random rnd) {
        double level = m / MAX_LEVEL;
        switch (op) {
            case IDENTITY:
                return img;
            case AUTO_CONTRAST:
                return PixelOps.autoContrast(img, blipAutoContrastQuirk);
            case EQUALIZE:
                return PixelOps.equalize(img);
            case BRIGHTNESS:
                return PixelOps.brightness(img, enhanceFactor(level));
            case SHARPNESS:
                return PixelOps.sharpness(img, enhanceFactor(level));
            case SHEAR_X:
                return AffineWarp.shearX(img, signed(level * 0.3, rnd.nextDouble() > 0.5), FILL);
            case SHEAR_Y:
                return AffineWarp.shearY(img, signed(level * 0.3, rnd.nextDouble() > 0.5), FILL);
            case TRANSLATE_X:
                return AffineWarp.translateX(img, signed(level * TRANSLATE_CONST, rnd.nextDouble() > 0.5), FILL);
            case TRANSLATE_Y:
                return AffineWarp.translateY(img, signed(level * TRANSLATE_CONST, rnd.nextDouble() > 0.5), FILL);
            case ROTATE:
                // BLIP tests "< 0.5" here and "> 0.5" above: both are fair coins.
                return AffineWarp.rotate(img, signed(level * 30, rnd.nextDouble() < 0.5), FILL);
            default:
                throw new IllegalStateException("unhandled op " + op);
        }
    }

    /** Brightness/sharpness factor {@code level * 1.8 + 0.1}: exactly 1.0 (identity) at M = 5. */
    private static double enhanceFactor(double level) {
        return level * 1.8 + 0.1;
    }

    private static double signed(double v, boolean negate) {
        return negate ? -v : v;
    }
}
