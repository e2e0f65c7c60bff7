package org.blip4j.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PixelOpsTest {
    @Test
    void autoContrastStretchesMinToZeroAndMaxTo255() {
        int[] values = {20, 30, 71, 45};
        RgbImage out = PixelOps.autoContrast(TestImages.gray(4, 1, values));
        int[] expected = {0, 50, 255, 125}; // scale 255 / 51 = 5 exactly
        for (int x = 0; x < 4; x++) {
            assertEquals(expected[x], out.get(x, 0, 0), "x=" + x);
        }
    }

    @Test
    void autoContrastTruncatesLikePil() {
        // PIL: int(v * 5.1 - 50 * 5.1); 100 * 5.1 - 255.0 = 254.99999999999997 in double, so max maps to 254.
        int[] values = {50, 60, 75, 100, 90, 51};
        RgbImage out = PixelOps.autoContrast(TestImages.gray(6, 1, values));
        int[] expected = {0, 51, 127, 254, 203, 5};
        for (int x = 0; x < 6; x++) {
            assertEquals(expected[x], out.get(x, 0, 0), "x=" + x);
        }
    }

    @Test
    void autoContrastLeavesConstantChannelsAlone() {
        RgbImage img = RgbImage.filled(3, 3, 7, 7, 7);
        assertEquals(img, PixelOps.autoContrast(img));
    }

    @Test
    void blipQuirkSaturatesChannelsWithPositiveMinimum() {
        byte[] d = {0, 50, 10, (byte) 255, 100, 20};
        RgbImage out = PixelOps.autoContrast(new RgbImage(2, 1, d), true);
        // R has min 0: normal stretch. G and B have min > 0: numpy's wrapped -low makes them all 255.
        assertEquals(0, out.get(0, 0, 0));
        assertEquals(255, out.get(1, 0, 0));
        for (int x = 0; x < 2; x++) {
            assertEquals(255, out.get(x, 0, 1));
            assertEquals(255, out.get(x, 0, 2));
        }
    }

    @Test
    void equalizeMatchesHandComputedPilLut() {
        // Histogram {10: 100, 20: 200, 30: 300}: step = (600 - 300) / 255 = 1, lut = cumsum before each bin.
        int[] values = new int[600];
        for (int i = 0; i < 600; i++) {
            values[i] = i < 100 ? 10 : i < 300 ? 20 : 30;
        }
        RgbImage out = PixelOps.equalize(TestImages.gray(600, 1, values));
        assertEquals(0, out.get(0, 0, 0));
        assertEquals(100, out.get(150, 0, 1));
        assertEquals(255, out.get(500, 0, 2)); // 300, clipped

        // {0: 1000, 128: 1000, 255: 1000}: step = 2000 / 255 = 7, start 3: lut[128] = 1003 / 7 = 143.
        int[] v2 = new int[3000];
        for (int i = 0; i < 3000; i++) {
            v2[i] = i < 1000 ? 0 : i < 2000 ? 128 : 255;
        }
        RgbImage out2 = PixelOps.equalize(TestImages.gray(3000, 1, v2));
        assertEquals(0, out2.get(0, 0, 0));
        assertEquals(143, out2.get(1500, 0, 0));
        assertEquals(255, out2.get(2500, 0, 0));
    }

    @Test
    void equalizeWithSingleValueIsIdentity() {
        RgbImage img = RgbImage.filled(4, 4, 9, 99, 199);
        assertEquals(img, PixelOps.equalize(img));
    }

    @Test
    void brightnessAndSharpnessAtFactorOneAreIdentity() {
        RgbImage img = TestImages.random(9, 8, 3);
        assertEquals(img, PixelOps.brightness(img, 1.0));
        assertSame(img, PixelOps.sharpness(img, 1.0));
        assertEquals(RgbImage.filled(2, 2, 50, 100, 127), PixelOps.brightness(RgbImage.filled(2, 2, 100, 200, 255), 0.5));
    }

    @Test
    void sharpnessKeepsBorderAndSmoothsWithFactorZero() {
        int[] values = new int[25];
        values[12] = 130; // single bright pixel in a 5x5 black image
        RgbImage out = PixelOps.sharpness(TestImages.gray(5, 5, values), 0.0);
        assertEquals(50, out.get(2, 2, 0)); // 130 * 5 / 13
        assertEquals(10, out.get(1, 1, 0)); // 130 / 13
        assertEquals(0, out.get(0, 0, 0)); // border untouched
    }
}
