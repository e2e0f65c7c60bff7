package org.blip4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainTransformTest {
    private final RgbImage img = TestImages.random(120, 90, 21);

    @Test
    void sameSeedSameOutputDifferentSeedDifferentOutput() {
        TrainTransform t = new TrainTransform(64, TrainTransform.PRETRAIN_MIN_SCALE, true);
        float[] a = t.apply(img, new Random(42));
        assertEquals(3 * 64 * 64, a.length);
        assertArrayEquals(a, t.apply(img, new Random(42)));
        assertFalse(Arrays.equals(a, t.apply(img, new Random(43))));
    }

    @Test
    void outputIsNormalisedWithClipStatistics() {
        float[] px = new TrainTransform(32, TrainTransform.FINETUNE_MIN_SCALE, false).apply(img, new Random(1));
        int plane = 32 * 32;
        for (int c = 0; c < 3; c++) {
            float lo = (0f - PixelNormalizer.CLIP_MEAN[c]) / PixelNormalizer.CLIP_STD[c];
            float hi = (1f - PixelNormalizer.CLIP_MEAN[c]) / PixelNormalizer.CLIP_STD[c];
            for (int i = c * plane; i < (c + 1) * plane; i++) {
                assertTrue(px[i] >= lo && px[i] <= hi, "channel " + c + " value " + px[i]);
            }
        }
    }

    @Test
    void withoutRandAugmentItIsCropThenFlipCoin() {
        TrainTransform t = new TrainTransform(48, 0.5, false);
        Random expectedRnd = new Random(5);
        RgbImage cropped = new RandomResizedCrop(48, 0.5).apply(img, expectedRnd);
        RgbImage expected = expectedRnd.nextDouble() < 0.5 ? HorizontalFlip.flip(cropped) : cropped;
        assertEquals(expected, t.augment(img, new Random(5)));
    }

    @Test
    void flipMirrorsAndTwiceIsIdentity() {
        RgbImage f = HorizontalFlip.flip(img);
        assertEquals(img.get(0, 3, 1), f.get(119, 3, 1));
        assertEquals(img.get(10, 7, 2), f.get(109, 7, 2));
        assertEquals(img, HorizontalFlip.flip(f));
        int flipped = 0;
        Random rnd = new Random(0);
        for (int i = 0; i < 1000; i++) {
            flipped += HorizontalFlip.random(img, rnd, 0.5) != img ? 1 : 0;
        }
        assertTrue(flipped > 430 && flipped < 570, "flips " + flipped);
    }

    @Test
    void randAugmentIsDeterministicAndUsesEveryOp() {
        RandAugment ra = new RandAugment(2, 5);
        RgbImage small = TestImages.random(24, 20, 8);
        assertEquals(ra.apply(small, new Random(11)), ra.apply(small, new Random(11)));
        Set<RandAugment.Op> seen = EnumSet.noneOf(RandAugment.Op.class);
        Random rnd = new Random(2);
        for (int i = 0; i < 500; i++) {
            seen.addAll(ra.sampleOps(rnd));
        }
        assertEquals(EnumSet.allOf(RandAugment.Op.class), seen);
    }

    @Test
    void randAugmentOpsAtMagnitudeFive() {
        RandAugment ra = new RandAugment(2, 5);
        RgbImage small = TestImages.random(24, 20, 9);
        Random rnd = new Random(0);
        assertSame(small, ra.apply(RandAugment.Op.IDENTITY, small, rnd));
        assertEquals(small, ra.apply(RandAugment.Op.BRIGHTNESS, small, rnd)); // factor 1.0
        assertEquals(small, ra.apply(RandAugment.Op.SHARPNESS, small, rnd));
        // Translate is 5 px either way; the sign coin decides which.
        RgbImage moved = ra.apply(RandAugment.Op.TRANSLATE_X, small, new Random(4));
        boolean left = moved.equals(AffineWarp.translateX(small, 5, 128));
        boolean right = moved.equals(AffineWarp.translateX(small, -5, 128));
        assertTrue(left ^ right);
        RgbImage rotated = ra.apply(RandAugment.Op.ROTATE, small, new Random(4));
        assertTrue(rotated.equals(AffineWarp.rotate(small, 15, 128))
                ^ rotated.equals(AffineWarp.rotate(small, -15, 128)));
        RgbImage sheared = ra.apply(RandAugment.Op.SHEAR_Y, small, new Random(4));
        assertTrue(sheared.equals(AffineWarp.shearY(small, 0.15, 128))
                ^ sheared.equals(AffineWarp.shearY(small, -0.15, 128)));
    }

    @Test
    void zeroOpsIsIdentity() {
        assertSame(img, new RandAugment(0, 5).apply(img, new Random(1)));
    }
}
