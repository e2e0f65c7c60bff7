package org.blip4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.checkpoint.Safetensors;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.Test;

/** Loading + preprocessing reproduces the Python golden {@code pixel_values} of parity set tiny-a exactly. */
class GoldenPixelValuesTest {
    private static final List<String> IMAGES = List.of("img0_blocks_64x64.png", "img1_gradient_64x64.png",
            "img2_nonsquare_150x110.png", "img3_gray_50x40.png");

    @Test
    void pixelValuesMatchGoldenExactly() throws Exception {
        RawTensor golden = Safetensors.read(Fixtures.tinyA().resolve("golden.safetensors")).get("pixel_values");
        assertArrayEquals(new long[] {4, 3, 64, 64}, golden.shape());
        float[] expected = golden.toFloats();
        ImagePreprocessor pre = ImagePreprocessor.fromModelDir(Fixtures.tinyAModel());
        int per = 3 * 64 * 64;
        for (int i = 0; i < IMAGES.size(); i++) {
            Path file = Fixtures.tinyA().resolve("images").resolve(IMAGES.get(i));
            float[] actual = pre.toPixels(ImageLoader.load(file));
            float[] want = Arrays.copyOfRange(expected, i * per, (i + 1) * per);
            assertEquals(0.0, maxAbsDiff(want, actual), IMAGES.get(i) + ": max |diff| vs golden");
        }
    }

    @Test
    void grayImageIsReplicatedAndNonSquareIsResized() {
        RgbImage gray = ImageLoader.load(Fixtures.tinyA().resolve("images/img3_gray_50x40.png"));
        assertEquals(50, gray.width());
        assertEquals(40, gray.height());
        for (int i = 0; i < gray.data().length; i += 3) {
            assertEquals(gray.data()[i], gray.data()[i + 1]);
            assertEquals(gray.data()[i], gray.data()[i + 2]);
        }
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length, "length");
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }
}
