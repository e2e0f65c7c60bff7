package org.blip4j.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** transformers-4.15 greedy_search: argmax of processed logits; finished rows continue with padding. */
final class GreedySearch {
    private GreedySearch() {
    }

    static List<List<Hypothesis>> run(StepFunction step, long[] prompt, int inputs, int eos, int pad,
            GenerationOptions o) {
        long[][] seqs = Generator.promptRows(prompt, inputs, o.maxLength());
        int curLen = prompt.length;
        boolean[] finished = new boolean[inputs];
        int[] lengths = new int[inputs];
        double[] sumLogp = new double[inputs];
        long[][] feed = Generator.firstFeed(prompt, inputs);
        while (true) {
            float[][] logits = step.step(feed);
            feed = new long[inputs][1];
            boolean allDone = true;
            for (int r = 0; r < inputs; r++) {
                long next = pad;
                if (!finished[r]) {
                    float[] scores = logits[r].clone();
                    LogitsProcessing.repetitionPenalty(scores, seqs[r], curLen, o.repetitionPenalty());
                    LogitsProcessing.minLength(scores, curLen, o.minLength(), eos, o.suppressEos());
                    int best = LogitsProcessing.argmax(scores);
                    sumLogp[r] += LogitsProcessing.logSoftmax(scores)[best];
                    next = best;
                    if (best == eos) {
                        finished[r] = true;
                        lengths[r] = curLen;
                    }
                }
                seqs[r][curLen] = next;
                feed[r][0] = next;
                allDone &= finished[r];
            }
            curLen++;
            if (allDone || curLen >= o.maxLength()) {
                break;
            }
        }
        List<List<Hypothesis>> out = new ArrayList<>();
        for (int r = 0; r < inputs; r++) {
            int len = finished[r] ? lengths[r] : curLen;
            long[] tokens = Arrays.copyOf(seqs[r], finished[r] ? len + 1 : len);
            out.add(List.of(new Hypothesis(tokens, sumLogp[r] / Math.pow(len, o.lengthPenalty()))));
        }
        return out;
    }
}
