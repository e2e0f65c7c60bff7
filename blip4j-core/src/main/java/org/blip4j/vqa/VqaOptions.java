package org.blip4j.vqa;

import org.blip4j.generate.GenerationOptions;

/**
 * VQA settings; defaults are the original's ({@code configs/vqa.yaml}, {@code BLIP_VQA.forward}): beam 3, max 10,
 * min 1 for 'generate', k_test 128 for 'rank', questions fed as given (as {@code BLIP_VQA.forward} and HF's
 * {@code BlipProcessor} do; {@link #withPreQuestion} applies BLIP's dataset normalisation).
 *
 * @param generation decoding of the 'generate' mode (lengths count the [DEC] start token)
 * @param kTest candidates re-scored per question in 'rank' mode (capped at the number of candidates)
 * @param preQuestion apply {@code pre_question} as BLIP's VQA dataset does; false feeds the text as given
 * @param batchSize questions encoded together
 */
public record VqaOptions(VqaMode mode, GenerationOptions generation, int kTest, boolean preQuestion, int batchSize) {
    public static final int DEFAULT_K_TEST = 128;

    public VqaOptions {
        if (mode == null || generation == null) {
            throw new IllegalArgumentException("mode and generation options are required");
        }
        if (kTest < 1) {
            throw new IllegalArgumentException("k_test must be ≥ 1, got " + kTest);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
    }

    public static VqaOptions defaults() {
        return new VqaOptions(VqaMode.GENERATE, GenerationOptions.beam(3, 10, 1), DEFAULT_K_TEST, false, 8);
    }

    public VqaOptions withMode(VqaMode m) {
        return new VqaOptions(m, generation, kTest, preQuestion, batchSize);
    }

    public VqaOptions withGeneration(GenerationOptions g) {
        return new VqaOptions(mode, g, kTest, preQuestion, batchSize);
    }

    public VqaOptions withKTest(int k) {
        return new VqaOptions(mode, generation, k, preQuestion, batchSize);
    }

    public VqaOptions withPreQuestion(boolean on) {
        return new VqaOptions(mode, generation, kTest, on, batchSize);
    }

    public VqaOptions withBatchSize(int n) {
        return new VqaOptions(mode, generation, kTest, preQuestion, n);
    }
}
