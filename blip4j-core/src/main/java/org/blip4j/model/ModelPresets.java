package org.blip4j.model;

import java.util.List;

/**
 * Named model sizes: {@code base} (ViT-B/16 + BERT-base, the Salesforce base checkpoints), {@code large}
 * (ViT-L/16), {@code tiny} (a few-MB model for tests and the synthetic-world demo). Image size is a separate
 * choice (384 for the released checkpoints, 224 for pre-training).
 */
public final class ModelPresets {
    private ModelPresets() {
    }

    public static final List<String> NAMES = List.of("base", "large", "tiny");

    public static BlipConfig named(String name, int imageSize, int vocabSize) {
        return switch (name) {
            case "base" -> base(imageSize, vocabSize);
            case "large" -> large(imageSize, vocabSize);
            case "tiny" -> tiny(imageSize, vocabSize);
            default -> throw new IllegalArgumentException("unknown model preset '" + name + "' (known: " + NAMES + ")");
        };
    }

    public static BlipConfig base(int imageSize, int vocabSize) {
        VisionConfig v = new VisionConfig(768, 3072, 12, 12, imageSize, 16, 3, 1e-6, 0.0, 0.0, 0.02);
        TextConfig t = new TextConfig(vocabSize, 768, 3072, 12, 12, 512, 1e-12, 0.0, 0.0, 768, vocabSize - 2, 102,
                0, 2, 0.0, 0, 0.02);
        return new BlipConfig(t, v, 256, 0.0, List.of());
    }

    public static BlipConfig large(int imageSize, int vocabSize) {
        VisionConfig v = new VisionConfig(1024, 4096, 24, 16, imageSize, 16, 3, 1e-6, 0.0, 0.1, 0.02);
        TextConfig t = new TextConfig(vocabSize, 768, 3072, 12, 12, 512, 1e-12, 0.0, 0.0, 1024, vocabSize - 2, 102,
                0, 2, 0.0, 0, 0.02);
        return new BlipConfig(t, v, 256, 0.0, List.of());
    }

    /** A small model that learns the synthetic world in minutes on two cores. */
    public static BlipConfig tiny(int imageSize, int vocabSize) {
        VisionConfig v = new VisionConfig(192, 768, 4, 4, imageSize, 16, 3, 1e-6, 0.0, 0.0, 0.02);
        TextConfig t = new TextConfig(vocabSize, 192, 768, 4, 4, 64, 1e-12, 0.0, 0.0, 192, vocabSize - 2, 102, 0,
                2, 0.0, 0, 0.02);
        return new BlipConfig(t, v, 128, 0.0, List.of());
    }
}
