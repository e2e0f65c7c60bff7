package org.blip4j.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The decoding loop of greedy search and sampling (transformers-4.15 {@code greedy_search} / {@code sample}), one
 * sequence per row and no beams: per step a token is chosen for every row ({@link #ARGMAX} for greedy search),
 * after the processors (repetition penalty, min length) on the raw logits; finished rows are continued
 * with padding. The score is the model's log-probability of the chosen tokens, length-normalised.
 */
final class PerRowDecodingLoop {
    /** Picks the next token of row {@code row} from its processed scores (may modify them). */
    @FunctionalInterface
    interface TokenChooser {
        int choose(int row, float[] processedScores);
    }

    /** Greedy search: the arg-max of the processed scores. */
    static final TokenChooser ARGMAX = (row, scores) -> LogitsProcessing.argmax(scores);

    private PerRowDecodingLoop() {
    }

    /** @return per input, its {@code perInput} rows' sequences */
    static List<List<Hypothesis>> run(StepFunction step, long[] prompt, int inputs, int perInput, int eos, int pad,
            GenerationOptions o, TokenChooser chooser) {
        int rows = inputs * perInput;
        long[][] seqs = Generator.promptRows(prompt, rows, o.maxLength());
        int curLen = prompt.length;
        boolean[] finished = new boolean[rows];
        int[] lengths = new int[rows];
        double[] sumLogp = new double[rows];
        long[][] feed = Generator.firstFeed(prompt, rows);
        while (true) {
            float[][] logits = step.step(feed);
            feed = new long[rows][1];
            boolean allDone = true;
            for (int r = 0; r < rows; r++) {
                long next = pad;
                if (!finished[r]) {
                    float[] scores = logits[r].clone();
                    LogitsProcessing.repetitionPenalty(scores, seqs[r], curLen, o.repetitionPenalty());
                    LogitsProcessing.minLength(scores, curLen, o.minLength(), eos, o.suppressEos());
                    float[] modelLogp = LogitsProcessing.logSoftmax(scores);
                    int token = chooser.choose(r, scores);
                    sumLogp[r] += modelLogp[token];
                    next = token;
                    if (token == eos) {
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
        for (int b = 0; b < inputs; b++) {
            List<Hypothesis> perRow = new ArrayList<>();
            for (int j = 0; j < perInput; j++) {
                int r = b * perInput + j;
                int len = finished[r] ? lengths[r] : curLen;
                long[] tokens = Arrays.copyOf(seqs[r], finished[r] ? len + 1 : len);
                perRow.add(new Hypothesis(tokens, sumLogp[r] / Math.pow(len, o.lengthPenalty())));
            }
            out.add(perRow);
        }
        return out;
    }
}
