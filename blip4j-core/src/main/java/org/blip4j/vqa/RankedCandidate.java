package org.blip4j.vqa;

/**
 * A candidate answer re-scored in 'rank' mode.
 *
 * @param index position in the candidate list
 * @param firstTokenProbability decoder probability of its first answer token after [DEC] (the top-k filter)
 * @param score minus its summed label-smoothed (0.1) token cross entropy, the quantity the answer maximises
 */
public record RankedCandidate(int index, String answer, double firstTokenProbability, double score) {
}
