package org.blip4j.data;

/** What a record with a list of captions becomes. */
public enum CaptionMode {
    /**
     * One sample per caption, as BLIP's pre-training and COCO training annotations are laid out (one entry per
     * caption), so every caption is seen once per epoch.
     */
    EXPAND,
    /**
     * One sample per record holding every caption; the loader picks one at random per epoch (ALBEF/BLIP's
     * {@code random.choice(ann['caption'])}). Also the shape retrieval evaluation wants (image with 5 captions).
     */
    KEEP
}
