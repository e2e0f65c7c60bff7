package org.blip4j.image;

import java.util.Random;

/** Small deterministic images for unit tests. */
final class TestImages {
    private TestImages() {
    }

    static RgbImage random(int w, int h, long seed) {
        byte[] d = new byte[w * h * 3];
        new Random(seed).nextBytes(d);
        return new RgbImage(w, h, d);
    }

    /** Single-channel content replicated to R, G, B. */
    static RgbImage gray(int w, int h, int[] values) {
        byte[] d = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            d[3 * i] = d[3 * i + 1] = d[3 * i + 2] = (byte) values[i];
        }
        return new RgbImage(w, h, d);
    }
}
