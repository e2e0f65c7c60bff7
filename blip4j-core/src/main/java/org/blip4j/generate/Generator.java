package org.blip4j.generate;

import java.util.List;

/**
 * Runs a decoding strategy over a {@link StepFunction}. Rows are laid out input-major: input b owns rows
 * b·r … b·r+r−1 with r = {@link GenerationOptions#rowsPerInput()}.
 */
public final class Generator {
    private Generator() {
    }

    /**
     * @param prompt tokens every sequence starts with (e.g. [DEC] a picture of)
     * @param inputs number of inputs (images) in the batch
     * @param eos stop token ([SEP]); @param pad filler after a row finished
     * @param rowSeeds for sampling, one seed per row (null: derived from options.seed and the row index)
     * @return per input, its sequences best first (numReturnSequences of them)
     */
    public static List<List<Hypothesis>> generate(StepFunction step, long[] prompt, int inputs, int eos, int pad,
            GenerationOptions options, long[] rowSeeds) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("generation needs at least one prompt token ([DEC])");
        }
        if (prompt.length >= options.maxLength()) {
            throw new IllegalArgumentException("max_length " + options.maxLength() + " leaves no room after the "
                    + prompt.length + "-token prompt (max_length counts the prompt)");
        }
        return switch (options.strategy()) {
            case GREEDY -> PerRowDecodingLoop.run(step, prompt, inputs, 1, eos, pad, options,
                    PerRowDecodingLoop.ARGMAX);
            case BEAM -> BeamSearch.run(step, prompt, inputs, eos, pad, options);
            case SAMPLE -> NucleusSampler.run(step, prompt, inputs, eos, pad, options, rowSeeds);
        };
    }

    static long[][] promptRows(long[] prompt, int rows, int maxLength) {
        long[][] seqs = new long[rows][maxLength];
        for (long[] s : seqs) {
            System.arraycopy(prompt, 0, s, 0, prompt.length);
        }
        return seqs;
    }

    static long[][] firstFeed(long[] prompt, int rows) {
        long[][] feed = new long[rows][];
        for (int r = 0; r < rows; r++) {
            feed[r] = prompt.clone();
        }
        return feed;
    }
}
