package org.blip4j.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PilResamplerTest {
    @Test
    void sameSizeIsReturnedUnchanged() {
        RgbImage img = TestImages.random(10, 7, 1);
        assertSame(img, PilResampler.resize(img, 10, 7, ResampleFilter.BICUBIC));
    }

    @Test
    void constantImageStaysConstantForEveryFilter() {
        RgbImage img = RgbImage.filled(13, 9, 10, 128, 250);
        for (ResampleFilter f : ResampleFilter.values()) {
            for (int[] size : new int[][] {{5, 4}, {31, 17}, {13, 20}, {40, 9}}) {
                assertEquals(RgbImage.filled(size[0], size[1], 10, 128, 250),
                        PilResampler.resize(img, size[0], size[1], f), f + " to " + size[0] + "x" + size[1]);
            }
        }
    }

    @Test
    void integerBoxAtScaleOneIsACrop() {
        // At scale 1 the cubic kernel is 1 at offset 0 and 0 at +-1, +-2: an exact copy of the box.
        RgbImage img = TestImages.random(20, 15, 2);
        assertEquals(img.crop(3, 4, 10, 8), PilResampler.resize(img, 10, 8, ResampleFilter.BICUBIC, 3, 4, 13, 12));
    }

    @Test
    void fullBoxEqualsPlainResize() {
        RgbImage img = TestImages.random(33, 21, 3);
        assertEquals(PilResampler.resize(img, 16, 16, ResampleFilter.BICUBIC),
                PilResampler.resize(img, 16, 16, ResampleFilter.BICUBIC, 0, 0, 33, 21));
    }

    @Test
    void onlyTheChangedAxisIsFiltered() {
        // Width unchanged: every column is filtered independently, so columns of a constant-per-column image
        // keep their values.
        int[] values = new int[8 * 6];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i % 8) * 30;
        }
        RgbImage out = PilResampler.resize(TestImages.gray(8, 6, values), 8, 11, ResampleFilter.BICUBIC);
        for (int y = 0; y < 11; y++) {
            for (int x = 0; x < 8; x++) {
                assertEquals(x * 30, out.get(x, y, 0));
            }
        }
    }

    @Test
    void nearestDoublingDuplicatesPixels() {
        RgbImage img = TestImages.random(5, 3, 4);
        RgbImage out = PilResampler.resize(img, 10, 6, ResampleFilter.NEAREST);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 10; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(img.get(x / 2, y / 2, c), out.get(x, y, c));
                }
            }
        }
    }

    @Test
    void bicubicDownscaleOfTwoPixelPatternAveragesWithAntialias() {
        // Alternating 0/255 columns shrunk 2x: the widened (antialiased) kernel averages to mid-gray.
        int[] values = new int[16];
        for (int i = 0; i < 16; i++) {
            values[i] = i % 2 == 0 ? 0 : 255;
        }
        RgbImage out = PilResampler.resize(TestImages.gray(16, 1, values), 8, 1, ResampleFilter.BICUBIC);
        for (int x = 2; x < 6; x++) {
            assertEquals(128, out.get(x, 0, 0), 1, "x=" + x);
        }
    }

    @Test
    void invalidArgumentsAreRejected() {
        RgbImage img = TestImages.random(4, 4, 5);
        assertThrows(IllegalArgumentException.class, () -> PilResampler.resize(img, 0, 3, ResampleFilter.BICUBIC));
        assertThrows(IllegalArgumentException.class,
                () -> PilResampler.resize(img, 2, 2, ResampleFilter.BICUBIC, 0, 0, 5, 4));
        assertThrows(IllegalArgumentException.class, () -> ResampleFilter.fromPilCode(7));
        assertEquals(ResampleFilter.BICUBIC, ResampleFilter.fromPilCode(3));
        assertEquals(ResampleFilter.BILINEAR, ResampleFilter.fromPilCode(2));
    }
}
