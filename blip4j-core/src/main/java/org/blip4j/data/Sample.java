package org.blip4j.data;

import java.util.List;
import java.util.Objects;

/**
 * One training/evaluation item: an image plus its captions.
 *
 * @param key         stable identifier, unique within a dataset (e.g. {@code "coco_train.json#17.2"} or a tar key);
 *                    it names the sample in batches, reports and CapFilt output
 * @param image       where the encoded image lives; decoded lazily on a loader worker
 * @param captions    zero or more captions (raw text; BLIP's {@code pre_caption} is the text pipeline's job)
 * @param imageId     integer image id (retrieval's {@code idx}: captions of one image share it), or
 *                    {@link #NO_IMAGE_ID}
 * @param sourceIndex index of the record (annotation entry or tar sample) within its source file
 */
public record Sample(String key, ImageSource image, List<String> captions, long imageId, int sourceIndex) {
    /** Marks a sample without an image id; real ids are never negative. */
    public static final long NO_IMAGE_ID = -1;

    public Sample {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(image, "image");
        captions = List.copyOf(captions);
        if (imageId < NO_IMAGE_ID) {
            throw new IllegalArgumentException("image id must be >= 0 (or NO_IMAGE_ID), got " + imageId);
        }
    }

    public boolean hasImageId() {
        return imageId != NO_IMAGE_ID;
    }
}
