package org.blip4j.generate;

/**
 * A generated sequence: all token ids including the prompt (and the EOS when it stopped on one), and its score:
 * sum of token log-probabilities divided by length^length_penalty (length = prompt + generated, EOS excluded),
 * the transformers-4.15 beam hypothesis score.
 */
public record Hypothesis(long[] tokens, double score) {
}
