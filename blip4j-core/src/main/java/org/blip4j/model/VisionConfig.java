package org.blip4j.model;

/**
 * ViT hyper-parameters (HF {@code BlipVisionConfig} field names). {@code layerNormEps}: the original BLIP code
 * uses 1e-6 ({@code models/vit.py}: {@code partial(nn.LayerNorm, eps=1e-6)}), HF hub configs say 1e-5; whatever a
 * config says is used.
 */
public record VisionConfig(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int imageSize,
        int patchSize,
        int numChannels,
        double layerNormEps,
        double attentionDropout,
        double dropPathRate,
        double initializerRange) {

    public VisionConfig {
        require(hiddenSize > 0 && hiddenSize % numAttentionHeads == 0,
                "vision_config.hidden_size " + hiddenSize + " must be a positive multiple of num_attention_heads "
                        + numAttentionHeads);
        require(imageSize > 0 && patchSize > 0 && imageSize % patchSize == 0,
                "vision_config.image_size " + imageSize + " must be a positive multiple of patch_size " + patchSize);
        require(numHiddenLayers > 0, "vision_config.num_hidden_layers must be > 0");
    }

    /** BLIP's ViT-B/16 at 384 px, LayerNorm eps 1e-6 as the original {@code models/vit.py}. */
    public static VisionConfig base() {
        return new VisionConfig(768, 3072, 12, 12, 384, 16, 3, 1e-6, 0.0, 0.0, 0.02);
    }

    public int gridSize() {
        return imageSize / patchSize;
    }

    public int numPatches() {
        return gridSize() * gridSize();
    }

    /** CLS + patches. */
    public int seqLength() {
        return numPatches() + 1;
    }

    public VisionConfig withImageSize(int size) {
        return new VisionConfig(hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, size, patchSize,
                numChannels, layerNormEps, attentionDropout, dropPathRate, initializerRange);
    }

    public VisionConfig withDropPathRate(double rate) {
        return new VisionConfig(hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads, imageSize, patchSize,
                numChannels, layerNormEps, attentionDropout, rate, initializerRange);
    }

    static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
