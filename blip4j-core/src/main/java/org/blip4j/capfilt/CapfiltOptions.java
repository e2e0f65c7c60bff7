package org.blip4j.capfilt;

import org.blip4j.generate.GenerationOptions;
import org.blip4j.task.CaptionOptions;

/**
 * What CapFilt generates and keeps (paper §3.3 and §4.2-4.4; docs/CAPFILT.md).
 *
 * @param generation decoding of the synthetic captions; {@code numReturnSequences} = captions per image and
 *     {@code seed} = the run seed every record's sampling seed derives from
 * @param prompt decoder prompt, stripped from the captions
 * @param threshold keep a text when the filter's P(match) ≥ threshold (0.5 = the ITM head's argmax)
 * @param batchSize images decoded and scored together; does not change the results
 * @param filterRule how the verdicts of several filters combine (any rule equals BLIP's with one filter)
 */
public record CapfiltOptions(GenerationOptions generation, String prompt, double threshold, int batchSize,
        FilterRule filterRule) {
    public CapfiltOptions {
        if (filterRule == null) {
            throw new IllegalArgumentException("filter rule is required");
        }
        if (generation == null) {
            throw new IllegalArgumentException("generation options are required");
        }
        if (generation.strategy() == GenerationOptions.Strategy.GREEDY && generation.numReturnSequences() > 1) {
            throw new IllegalArgumentException("greedy decoding yields one caption per image");
        }
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold must be a number");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        prompt = prompt == null ? "" : prompt;
    }

    /** One filter (or an ensemble averaged by {@link FilterRule#MEAN}). */
    public CapfiltOptions(GenerationOptions generation, String prompt, double threshold, int batchSize) {
        this(generation, prompt, threshold, batchSize, FilterRule.MEAN);
    }

    /** The paper's setting: one caption per image by nucleus sampling (p 0.9, top-k 50, rep. penalty 1.1). */
    public static CapfiltOptions defaults() {
        return new CapfiltOptions(GenerationOptions.nucleus(0.9, 20, 5, 0), CaptionOptions.DEFAULT_PROMPT, 0.5, 8);
    }

    public CapfiltOptions withGeneration(GenerationOptions g) {
        return new CapfiltOptions(g, prompt, threshold, batchSize, filterRule);
    }

    public CapfiltOptions withThreshold(double t) {
        return new CapfiltOptions(generation, prompt, t, batchSize, filterRule);
    }

    public CapfiltOptions withBatchSize(int n) {
        return new CapfiltOptions(generation, prompt, threshold, n, filterRule);
    }

    public CapfiltOptions withFilterRule(FilterRule r) {
        return new CapfiltOptions(generation, prompt, threshold, batchSize, r);
    }

    public int captionsPerImage() {
        return generation.numReturnSequences();
    }

    public boolean keeps(double itm) {
        return itm >= threshold;
    }
}
