package org.blip4j.model;

import java.util.List;

/**
 * A whole BLIP model's configuration, as HF's {@code BlipConfig} ({@code config.json} with {@code text_config}
 * and {@code vision_config}). {@code imageTextHiddenSize} is the ITC embedding width (256 for real checkpoints).
 */
public record BlipConfig(
        TextConfig text,
        VisionConfig vision,
        int imageTextHiddenSize,
        List<String> architectures) {

    public BlipConfig {
        architectures = architectures == null ? List.of() : List.copyOf(architectures);
    }

    /** ViT-B/16 at 384 + BERT-base: the layout of Salesforce/blip-*-base. */
    public static BlipConfig base() {
        return new BlipConfig(TextConfig.base(), VisionConfig.base(), 256, List.of());
    }

    public BlipConfig withVision(VisionConfig v) {
        return new BlipConfig(text, v, imageTextHiddenSize, architectures);
    }

    public BlipConfig withText(TextConfig t) {
        return new BlipConfig(t, vision, imageTextHiddenSize, architectures);
    }

    public BlipConfig withArchitectures(List<String> archs) {
        return new BlipConfig(text, vision, imageTextHiddenSize, archs);
    }
}
