package org.blip4j.model;

import java.util.EnumSet;
import java.util.Set;

/** The separately loadable parts of a BLIP model; task checkpoints hold a subset. */
public enum Part {
    VISION("vision_model.", "image encoder"),
    TEXT_ENCODER("text_encoder.", "text encoder"),
    TEXT_DECODER("text_decoder.", "text decoder"),
    VISION_PROJ("vision_proj.", "ITC image projection"),
    TEXT_PROJ("text_proj.", "ITC text projection"),
    ITM_HEAD("itm_head.", "ITM head"),
    TEMP("temp", "ITC temperature");

    /** Checkpoint key prefix of this part (exact key for TEMP). */
    public final String prefix;
    public final String description;

    Part(String prefix, String description) {
        this.prefix = prefix;
        this.description = description;
    }

    public boolean owns(String key) {
        return this == TEMP ? key.equals(prefix) : key.startsWith(prefix);
    }

    public static Part of(String key) {
        for (Part p : values()) {
            if (p.owns(key)) {
                return p;
            }
        }
        return null;
    }

    /** Parts each HF architecture needs. */
    public static Set<Part> forArchitecture(String architecture) {
        return switch (architecture) {
            case "BlipForConditionalGeneration" -> EnumSet.of(VISION, TEXT_DECODER);
            case "BlipForImageTextRetrieval" -> EnumSet.of(VISION, TEXT_ENCODER, VISION_PROJ, TEXT_PROJ, ITM_HEAD);
            case "BlipForQuestionAnswering" -> EnumSet.of(VISION, TEXT_ENCODER, TEXT_DECODER);
            default -> EnumSet.noneOf(Part.class);
        };
    }
}
