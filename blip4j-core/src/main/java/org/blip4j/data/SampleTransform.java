package org.blip4j.data;

import java.util.Random;
import org.blip4j.image.ImagePreprocessor;
import org.blip4j.image.RgbImage;
import org.blip4j.image.TrainTransform;

/**
 * Turns a decoded image into the model's pixel input (CHW floats). Runs on loader worker threads, so it must be
 * thread-safe; all randomness must come from {@code random}, which the loader derives from (seed, epoch, sample
 * position) so output does not depend on thread scheduling.
 */
@FunctionalInterface
public interface SampleTransform {
    float[] apply(Sample sample, RgbImage image, Random random);

    /** Training augmentation (RandomResizedCrop, flip, RandAugment, normalise). */
    static SampleTransform train(TrainTransform transform) {
        return (sample, image, random) -> transform.apply(image, random);
    }

    /** Deterministic test-time resize and normalise. */
    static SampleTransform test(ImagePreprocessor preprocessor) {
        return (sample, image, random) -> preprocessor.toPixels(image);
    }
}
