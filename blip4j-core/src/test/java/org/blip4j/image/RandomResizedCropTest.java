package org.blip4j.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RandomResizedCropTest {
    @Test
    void boxesStayInsideAndWithinScaleAndRatioLimits() {
        Random rnd = new Random(7);
        for (double minScale : new double[] {0.2, 0.5}) {
            RandomResizedCrop rrc = new RandomResizedCrop(64, minScale);
            for (int[] size : new int[][] {{640, 480}, {100, 100}, {37, 300}, {500, 40}}) {
                int w = size[0];
                int h = size[1];
                for (int i = 0; i < 2000; i++) {
                    CropBox b = rrc.sampleBox(w, h, rnd);
                    assertTrue(b.left() + b.width() <= w && b.top() + b.height() <= h, b.toString());
                    // Rounding w and h to integers moves area and ratio by at most half a pixel per side.
                    double area = (double) b.width() * b.height();
                    double slackArea = 0.5 * (b.width() + b.height()) + 0.25;
                    boolean fallback = b.width() == w || b.height() == h;
                    if (!fallback) {
                        assertTrue(area >= minScale * w * h - slackArea && area <= (double) w * h, b + " area");
                        double ratio = (double) b.width() / b.height();
                        double slackRatio = (b.width() + 0.5) / (b.height() - 0.5) - ratio;
                        assertTrue(ratio >= 0.75 - slackRatio && ratio <= 4.0 / 3.0 + slackRatio, b + " ratio");
                    }
                }
            }
        }
    }

    @Test
    void extremeAspectFallsBackToCentreCrop() {
        // No 3/4..4/3 box with >= 50% area fits a 1000x10 image: torchvision's centre crop with ratio 4/3.
        CropBox b = new RandomResizedCrop(32, 0.5).sampleBox(1000, 10, new Random(1));
        assertEquals(new CropBox((1000 - 13) / 2, 0, 13, 10), b);
        CropBox tall = new RandomResizedCrop(32, 0.5).sampleBox(10, 1000, new Random(1));
        assertEquals(new CropBox(0, (1000 - 13) / 2, 10, 13), tall);
    }

    @Test
    void outputIsSquareOfRequestedSizeAndDeterministic() {
        RgbImage img = TestImages.random(90, 70, 5);
        RandomResizedCrop rrc = new RandomResizedCrop(48, 0.5);
        RgbImage a = rrc.apply(img, new Random(3));
        assertEquals(48, a.width());
        assertEquals(48, a.height());
        assertEquals(a, rrc.apply(img, new Random(3)));
    }

    @Test
    void applyIsCropThenPilBicubicResize() {
        RgbImage img = TestImages.random(90, 70, 6);
        RandomResizedCrop rrc = new RandomResizedCrop(40, 0.2);
        CropBox b = rrc.sampleBox(90, 70, new Random(9));
        RgbImage expected = PilResampler.resize(img.crop(b.left(), b.top(), b.width(), b.height()), 40, 40,
                ResampleFilter.BICUBIC);
        assertEquals(expected, rrc.apply(img, new Random(9)));
    }
}
