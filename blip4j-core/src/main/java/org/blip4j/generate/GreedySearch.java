package org.blip4j.generate;

import java.util.List;

/** transformers-4.15 greedy_search: argmax of the processed logits. */
final class GreedySearch {
    private GreedySearch() {
    }

    static List<List<Hypothesis>> run(StepFunction step, long[] prompt, int inputs, int eos, int pad,
            GenerationOptions o) {
        return RowDecoder.run(step, prompt, inputs, 1, eos, pad, o, (row, scores) -> LogitsProcessing.argmax(scores));
    }
}
