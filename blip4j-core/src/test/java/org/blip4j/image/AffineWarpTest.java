package org.blip4j.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AffineWarpTest {
    private final RgbImage img = TestImages.random(20, 12, 11);

    @Test
    void translateXShiftsContentByFivePixels() {
        RgbImage left = AffineWarp.translateX(img, 5, 128);
        RgbImage right = AffineWarp.translateX(img, -5, 128);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 20; x++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(x + 5 < 20 ? img.get(x + 5, y, c) : 128, left.get(x, y, c));
                    assertEquals(x - 5 >= 0 ? img.get(x - 5, y, c) : 128, right.get(x, y, c));
                }
            }
        }
    }

    @Test
    void translateYShiftsContentByFivePixels() {
        RgbImage up = AffineWarp.translateY(img, 5, 128);
        for (int y = 0; y < 12; y++) {
            for (int x = 0; x < 20; x++) {
                assertEquals(y + 5 < 12 ? img.get(x, y + 5, 1) : 128, up.get(x, y, 1));
            }
        }
    }

    @Test
    void rotateByZeroIsIdentity() {
        assertEquals(img, AffineWarp.rotate(img, 0, 128));
    }

    @Test
    void rotateKeepsCentreAndFillsCorners() {
        RgbImage uniform = RgbImage.filled(40, 40, 200, 10, 60);
        RgbImage out = AffineWarp.rotate(uniform, 15, 128);
        assertEquals(200, out.get(20, 20, 0));
        assertEquals(10, out.get(20, 20, 1));
        assertEquals(128, out.get(0, 0, 0));
        assertEquals(128, out.get(39, 39, 2));
    }

    @Test
    void shearOfUniformImageIsUniformExceptFill() {
        RgbImage uniform = RgbImage.filled(30, 20, 200, 200, 200);
        for (double f : new double[] {0.15, -0.15}) {
            RgbImage sx = AffineWarp.shearX(uniform, f, 128);
            RgbImage sy = AffineWarp.shearY(uniform, f, 128);
            for (RgbImage out : new RgbImage[] {sx, sy}) {
                for (int i = 0; i < out.data().length; i++) {
                    int v = out.data()[i] & 0xFF;
                    assertTrue(v >= 128 && v <= 200, "value " + v);
                }
                assertEquals(200, out.get(15, 10, 0), "interior stays uniform");
            }
            // Row 0 (x-shear) and column 0 (y-shear) do not move.
            for (int x = 0; x < 30; x++) {
                assertEquals(200, sx.get(x, 0, 0));
            }
            for (int y = 0; y < 20; y++) {
                assertEquals(200, sy.get(0, y, 0));
            }
        }
        // Positive x-shear samples x - 0.15 y: the bottom-left corner falls outside and is filled.
        assertEquals(128, AffineWarp.shearX(uniform, 0.15, 128).get(0, 19, 0));
        assertEquals(128, AffineWarp.shearX(uniform, -0.15, 128).get(29, 19, 0));
    }
}
