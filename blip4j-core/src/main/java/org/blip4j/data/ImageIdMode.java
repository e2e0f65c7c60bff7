package org.blip4j.data;

/** How image ids are derived. */
public enum ImageIdMode {
    /** No ids: {@link Sample#NO_IMAGE_ID}. */
    NONE,
    /**
     * BLIP's {@code coco_karpathy_train}: each distinct image gets {@code 0, 1, 2, ...} in first-seen order.
     * An image is identified by its {@code image_id} field, else the trailing number of its file name, else
     * its path.
     */
    CONSECUTIVE,
    /**
     * The number itself: an integral {@code image_id}, the trailing digits of a string id ({@code
     * "coco_203564"}), else the trailing number of the file name; a record with none of these is an error.
     */
    RAW
}
