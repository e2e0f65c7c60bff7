package org.blip4j.train.vision;

import java.nio.file.Path;
import java.util.Map;

/**
 * What vision pre-training produced: the image-encoder model directory, held-out accuracy per label group
 * ({@code "object shape"}, {@code "image position"}, ...), images skipped as unreadable, and wall time.
 */
public record VisionPretrainResult(Path model, Map<String, Double> heldOutAccuracy, int trainImages,
        int heldOutImages, int skippedImages, double seconds) {
}
