package org.blip4j.vqa;

import java.util.List;

/**
 * An answer to one question.
 *
 * @param answer decoded text ('generate') or the chosen candidate ('rank')
 * @param score 'generate': the beam hypothesis score (length-normalised log-probability); 'rank': the chosen
 *     candidate's score, minus its summed label-smoothed cross entropy
 * @param tokens the answer's ids starting with [DEC] (with [SEP] when it ended on one)
 * @param candidates 'rank' only: the re-scored top-k candidates in first-token-probability order; empty otherwise
 */
public record VqaAnswer(String answer, double score, long[] tokens, List<RankedCandidate> candidates) {
    public VqaAnswer {
        candidates = List.copyOf(candidates);
    }
}
