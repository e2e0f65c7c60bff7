package org.blip4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;
import java.util.Random;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.Test;

/** With every augmentation off, training sees exactly the pixels inference sees (same layout, same values). */
class TrainTransformMatchesInferenceTest {
    @Test
    void unaugmentedTrainingPixelsEqualInferencePixels() {
        Path png = Fixtures.tinyA().resolve("images").resolve("img0_blocks_64x64.png");
        RgbImage img = ImageLoader.load(png);
        float[] train = new TrainTransform(64, 1.0, false, false).apply(img, new Random(3));
        float[] infer = ImagePreprocessor.blipDefaults(64).toPixels(img);
        assertArrayEquals(infer, train, 1e-6f);
    }
}
