package org.blip4j.data;

import java.util.List;
import org.blip4j.image.ImageDecodeException;
import org.blip4j.image.RgbImage;

/**
 * The per-sample work a loader worker does: decode, transform, pick a caption. Bad images become skip results;
 * anything else (a transform bug) is an error naming the sample.
 */
final class SampleTask {
    private static final float[] NO_PIXELS = new float[0];

    private final SampleTransform transform;
    private final long seed;
    private final boolean decodeOnly;

    /** {@code decodeOnly}: check decodability without transforming (used to recompute resume points). */
    SampleTask(SampleTransform transform, long seed, boolean decodeOnly) {
        this.transform = transform;
        this.seed = seed;
        this.decodeOnly = decodeOnly;
    }

    SampleResult run(Sample sample, int epoch, int position) {
        RgbImage image;
        try {
            image = sample.image().load();
        } catch (MissingImageException e) {
            return SampleResult.skipped(sample, SkipReason.MISSING, e.getMessage());
        } catch (ImageDecodeException e) {
            return SampleResult.skipped(sample, SkipReason.UNDECODABLE, e.getMessage());
        }
        if (decodeOnly) {
            return SampleResult.ok(sample, NO_PIXELS, "");
        }
        float[] pixels;
        try {
            pixels = transform.apply(sample, image, SampleOrder.augmentation(seed, epoch, position));
        } catch (RuntimeException e) {
            throw new DataLoaderException("sample " + sample.key() + " (" + sample.image().name()
                    + "): transform failed: " + e, e);
        }
        if (pixels == null) {
            throw new DataLoaderException("sample " + sample.key() + ": transform returned null");
        }
        return SampleResult.ok(sample, pixels, caption(sample.captions(), epoch, position));
    }

    private String caption(List<String> captions, int epoch, int position) {
        switch (captions.size()) {
            case 0:
                return "";
            case 1:
                return captions.get(0);
            default:
                return captions.get(SampleOrder.captionChoice(seed, epoch, position).nextInt(captions.size()));
        }
    }
}
