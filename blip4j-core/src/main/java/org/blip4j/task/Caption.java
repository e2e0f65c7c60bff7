package org.blip4j.task;

/**
 * A generated caption with the prompt stripped (by character count, as the original), its score (length-
 * normalised log-probability, the beam-search hypothesis score) and the token ids including the prompt.
 */
public record Caption(String text, double score, long[] tokens) {
}
