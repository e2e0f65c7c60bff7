package org.blip4j.image;

import java.util.Random;

/**
 * BLIP's training transform (blip-spec §7.1): RandomResizedCrop (bicubic) -> RandomHorizontalFlip(0.5) ->
 * optional RandAugment(2, 5) -> ToTensor -> Normalize(CLIP). Deterministic for a given {@link Random} state.
 */
public final class TrainTransform {
    /** {@code min_scale} for fine-tuning (captioning, retrieval, VQA, NLVR2). */
    public static final double FINETUNE_MIN_SCALE = 0.5;
    /** {@code min_scale} for pre-training. */
    public static final double PRETRAIN_MIN_SCALE = 0.2;

    private final RandomResizedCrop crop;
    private final RandAugment randAugment;
    private final PixelNormalizer normalizer;

    public TrainTransform(int imageSize, double minScale, boolean useRandAugment) {
        this(new RandomResizedCrop(imageSize, minScale), useRandAugment ? new RandAugment(2, 5) : null,
                PixelNormalizer.clip());
    }

    public TrainTransform(RandomResizedCrop crop, RandAugment randAugment, PixelNormalizer normalizer) {
        this.crop = crop;
        this.randAugment = randAugment;
        this.normalizer = normalizer;
    }

    /** The augmented 8-bit image before normalisation. */
    public RgbImage augment(RgbImage img, Random rnd) {
        RgbImage out = HorizontalFlip.random(crop.apply(img, rnd), rnd, 0.5);
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
