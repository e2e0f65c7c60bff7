package org.blip4j.image;

import java.util.Random;

/** Mirror left-right; {@link #random} is torchvision {@code RandomHorizontalFlip(p)}. */
public final class HorizontalFlip {
    private HorizontalFlip() {
    }

    public static RgbImage flip(RgbImage img) {
        int w = img.width();
        byte[] src = img.data();
        byte[] out = new byte[src.length];
        for (int y = 0; y < img.height(); y++) {
            int row = y * w * 3;
            for (int x = 0; x < w; x++) {
                System.arraycopy(src, row + x * 3, out, row + (w - 1 - x) * 3, 3);
            }
        }
        return new RgbImage(w, img.height(), out);
    }

    /** Flips with probability {@code p} (one {@code nextDouble()} draw). */
    public static RgbImage random(RgbImage img, Random rnd, double p) {
        return rnd.nextDouble() < p ? flip(img) : img;
    }
}
