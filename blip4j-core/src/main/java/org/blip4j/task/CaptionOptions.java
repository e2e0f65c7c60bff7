package org.blip4j.task;

import org.blip4j.generate.GenerationOptions;

/**
 * Captioning settings. Defaults are BLIP's COCO evaluation (beam 3, max 20, min 5) with the prompt its captioning
 * models were fine-tuned with, {@code "a picture of "}; an empty prompt generates from [DEC] alone.
 *
 * @param cacheCrossAttention project each image's cross-attention keys/values once (same output, faster)
 * @param batchSize images decoded together
 */
public record CaptionOptions(GenerationOptions generation, String prompt, boolean cacheCrossAttention,
        int batchSize) {
    public static final String DEFAULT_PROMPT = "a picture of ";

    public CaptionOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
        prompt = prompt == null ? "" : prompt;
    }

    public static CaptionOptions defaults() {
        return new CaptionOptions(GenerationOptions.captioningDefaults(), DEFAULT_PROMPT, true, 8);
    }

    public CaptionOptions withGeneration(GenerationOptions g) {
        return new CaptionOptions(g, prompt, cacheCrossAttention, batchSize);
    }

    public CaptionOptions withPrompt(String p) {
        return new CaptionOptions(generation, p, cacheCrossAttention, batchSize);
    }

    public CaptionOptions withBatchSize(int n) {
        return new CaptionOptions(generation, prompt, cacheCrossAttention, n);
    }
}
