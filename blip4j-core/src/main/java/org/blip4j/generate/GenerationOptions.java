package org.blip4j.generate;

/**
 * Decoding settings with transformers-4.15 semantics: {@code maxLength}/{@code minLength} count the whole
 * sequence including the prompt (transformers-4.15 {@code generate}, as called by orig {@code models/blip.py}
 * {@code BLIP_Decoder.generate}). Defaults = BLIP's COCO evaluation: beam 3, max 20, min 5.
 *
 * @param strategy greedy, beam search or nucleus sampling
 * @param numBeams beams per input (beam search)
 * @param topP nucleus mass (sampling); 1 disables
 * @param topK keep the k most likely tokens before top-p (sampling; transformers 4.15 applied 50 by default);
 *     0 disables
 * @param temperature logits divisor (sampling)
 * @param numReturnSequences sequences per input (sampling: independent samples; beam: best hypotheses)
 * @param seed base seed for sampling; each sequence derives its own stream from it
 * @param suppressEos never emit EOS (benchmarks that need an exact number of tokens)
 */
public record GenerationOptions(
        Strategy strategy,
        int numBeams,
        int maxLength,
        int minLength,
        double repetitionPenalty,
        double lengthPenalty,
        boolean earlyStopping,
        double topP,
        int topK,
        double temperature,
        int numReturnSequences,
        long seed,
        boolean suppressEos) {

    public enum Strategy { GREEDY, BEAM, SAMPLE }

    public GenerationOptions {
        if (numBeams < 1) {
            throw new IllegalArgumentException("num_beams must be ≥ 1, got " + numBeams);
        }
        if (maxLength < 1 || minLength < 0 || minLength > maxLength) {
            throw new IllegalArgumentException("need 0 ≤ min_length ≤ max_length and max_length ≥ 1, got min "
                    + minLength + ", max " + maxLength);
        }
        if (repetitionPenalty <= 0) {
            throw new IllegalArgumentException("repetition_penalty must be > 0, got " + repetitionPenalty);
        }
        if (topP < 0 || topP > 1) {
            throw new IllegalArgumentException("top_p must be in [0, 1], got " + topP);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be ≥ 0, got " + topK);
        }
        if (temperature <= 0) {
            throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        }
        if (numReturnSequences < 1) {
            throw new IllegalArgumentException("num_return_sequences must be ≥ 1, got " + numReturnSequences);
        }
        if (strategy == Strategy.BEAM && numReturnSequences > numBeams) {
            throw new IllegalArgumentException("num_return_sequences (" + numReturnSequences
                    + ") cannot exceed num_beams (" + numBeams + ")");
        }
    }

    /** BLIP captioning evaluation: beam 3, max 20, min 5, repetition penalty 1.0. */
    public static GenerationOptions beam(int beams, int maxLength, int minLength) {
        return new GenerationOptions(Strategy.BEAM, beams, maxLength, minLength, 1.0, 1.0, false, 1.0, 0, 1.0, 1, 0,
                false);
    }

    public static GenerationOptions greedy(int maxLength, int minLength) {
        return new GenerationOptions(Strategy.GREEDY, 1, maxLength, minLength, 1.0, 1.0, false, 1.0, 0, 1.0, 1, 0,
                false);
    }

    /** BLIP's sampling path (CapFilt): top-p 0.9, implicit top-k 50, repetition penalty 1.1. */
    public static GenerationOptions nucleus(double topP, int maxLength, int minLength, long seed) {
        return new GenerationOptions(Strategy.SAMPLE, 1, maxLength, minLength, 1.1, 1.0, false, topP, 50, 1.0, 1, seed,
                false);
    }

    public static GenerationOptions captioningDefaults() {
        return beam(3, 20, 5);
    }

    public GenerationOptions withRepetitionPenalty(double p) {
        return new GenerationOptions(strategy, numBeams, maxLength, minLength, p, lengthPenalty, earlyStopping, topP,
                topK, temperature, numReturnSequences, seed, suppressEos);
    }

    public GenerationOptions withNumReturnSequences(int n) {
        return new GenerationOptions(strategy, numBeams, maxLength, minLength, repetitionPenalty, lengthPenalty,
                earlyStopping, topP, topK, temperature, n, seed, suppressEos);
    }

    public GenerationOptions withSampling(double p, int k, double temp) {
        return new GenerationOptions(strategy, numBeams, maxLength, minLength, repetitionPenalty, lengthPenalty,
                earlyStopping, p, k, temp, numReturnSequences, seed, suppressEos);
    }

    public GenerationOptions withSeed(long s) {
        return new GenerationOptions(strategy, numBeams, maxLength, minLength, repetitionPenalty, lengthPenalty,
                earlyStopping, topP, topK, temperature, numReturnSequences, s, suppressEos);
    }

    public GenerationOptions withLengthPenalty(double lp, boolean early) {
        return new GenerationOptions(strategy, numBeams, maxLength, minLength, repetitionPenalty, lp, early, topP,
                topK, temperature, numReturnSequences, seed, suppressEos);
    }

    public GenerationOptions withSuppressEos(boolean suppress) {
        return new GenerationOptions(strategy, numBeams, maxLength, minLength, repetitionPenalty, lengthPenalty,
                earlyStopping, topP, topK, temperature, numReturnSequences, seed, suppress);
    }

    /** Rows decoded per input: beams for beam search, samples for sampling, 1 for greedy. */
    public int rowsPerInput() {
        return switch (strategy) {
            case GREEDY -> 1;
            case BEAM -> numBeams;
            case SAMPLE -> numReturnSequences;
        };
    }
}
