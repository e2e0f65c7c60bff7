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
        return new BlipConfig(text(vocabSize).build(), VisionConfig.base().withImageSize(imageSize), 256, List.of());
    }

    /** ViT-L/16 (drop path 0.1 as the original always builds it) + BERT-base attending to 1024-wide states. */
    public static BlipConfig large(int imageSize, int vocabSize) {
        VisionConfig v = new VisionConfig(1024, 4096, 24, 16, imageSize, 16, 3, 1e-6, 0.0, 0.1, 0.02);
        return new BlipConfig(text(vocabSize).encoderHiddenSize(1024).build(), v, 256, List.of());
    }

    /** A small model that learns the synthetic world in minutes on two cores. */
    public static BlipConfig tiny(int imageSize, int vocabSize) {
        VisionConfig v = new VisionConfig(192, 768, 4, 4, imageSize, 16, 3, 1e-6, 0.0, 0.0, 0.02);
        TextConfig t = text(vocabSize).hiddenSize(192).intermediateSize(768).numHiddenLayers(4).numAttentionHeads(4)
                .maxPositionEmbeddings(64).encoderHiddenSize(192).build();
        return new BlipConfig(t, v, 128, List.of());
    }

    /** BERT-base text with a vocabulary of {@code vocabSize}, [DEC] at vocabSize − 2 as BLIP's tokenizer adds it. */
    private static TextConfig.Builder text(int vocabSize) {
        return TextConfig.builder().vocabSize(vocabSize).bosTokenId(vocabSize - 2);
    }
}
