package org.blip4j.image;

import java.util.Random;

/**
 * BLIP's training transform (orig {@code data/__init__.py} {@code transform_train}): RandomResizedCrop (bicubic) ->
 * RandomHorizontalFlip(0.5) -> optional RandAugment(2, 5) -> ToTensor -> Normalize(CLIP). Deterministic for a given
 * {@link Random} state.
 */
public final class TrainTransform {
    /** {@code min_scale} for fine-tuning (captioning, retrieval, VQA, NLVR2). */
    public static final double FINETUNE_MIN_SCALE = 0.5;
    /** {@code min_scale} for pre-training. */
    public static final double PRETRAIN_MIN_SCALE = 0.2;

    private final RandomResizedCrop crop;
    private final RandAugment randAugment;
    private final PixelNormalizer normalizer;
    private final double flipProbability;

    public TrainTransform(int imageSize, double minScale, boolean useRandAugment) {
        this(imageSize, minScale, useRandAugment, true);
    }

    /**
     * @param flip BLIP flips every training image with p = 0.5; turn it off for data whose texts name left and
     *     right (a flipped "circle left of a square" no longer matches its caption)
     */
    public TrainTransform(int imageSize, double minScale, boolean useRandAugment, boolean flip) {
        this(new RandomResizedCrop(imageSize, minScale), useRandAugment ? new RandAugment(2, 5) : null,
                PixelNormalizer.clip(), flip ? 0.5 : 0.0);
    }

    public TrainTransform(RandomResizedCrop crop, RandAugment randAugment, PixelNormalizer normalizer) {
        this(crop, randAugment, normalizer, 0.5);
    }

    public TrainTransform(RandomResizedCrop crop, RandAugment randAugment, PixelNormalizer normalizer,
            double flipProbability) {
        this.crop = crop;
        this.randAugment = randAugment;
        this.normalizer = normalizer;
        this.flipProbability = flipProbability;
    }

    /** The augmented 8-bit image before normalisation. */
    public RgbImage augment(RgbImage img, Random rnd) {
        RgbImage cropped = crop.apply(img, rnd);
        RgbImage out = flipProbability > 0 ? HorizontalFlip.random(cropped, rnd, flipProbability) : cropped;
        return randAugment == null ? out : randAugment.apply(out, rnd);
    }

    /** Normalised CHW float32 of shape {@code [3, size, size]}. */
    public float[] apply(RgbImage img, Random rnd) {
        return normalizer.toChw(augment(img, rnd));
    }

    public int imageSize() {
        return crop.size();
    }
}
