package org.blip4j.task;

import java.nio.charset.StandardCharsets;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.generate.NucleusSampler;

/**
 * Caption decoding as a user chooses it (the {@code caption} command's flags, the server's form fields): greedy,
 * beam search (default: BLIP's beam 3, max 20, min 5) or nucleus sampling, mapped in one place to
 * {@link GenerationOptions}, and the per-image sampling seed derived from the run seed and the image's key.
 *
 * @param strategy GREEDY, BEAM or SAMPLE
 * @param beams beams for BEAM (ignored otherwise)
 * @param repetitionPenalty null keeps the strategy's default (1.0; 1.1 with sampling, as BLIP's sampling path)
 */
public record CaptionDecoding(GenerationOptions.Strategy strategy, int beams, double topP, int topK,
        double temperature, long seed, int numCaptions, int maxLength, int minLength, Double repetitionPenalty,
        double lengthPenalty) {

    public static CaptionDecoding defaults() {
        return new CaptionDecoding(GenerationOptions.Strategy.BEAM, 3, 0.9, 50, 1.0, 0, 1, 20, 5, null, 1.0);
    }

    /** The generation options; invalid combinations fail with {@link IllegalArgumentException} naming the value. */
    public GenerationOptions options() {
        GenerationOptions o = switch (strategy) {
            case GREEDY -> GenerationOptions.greedy(maxLength, minLength);
            case SAMPLE -> GenerationOptions.nucleus(topP, maxLength, minLength, seed)
                    .withSampling(topP, topK, temperature).withNumReturnSequences(numCaptions);
            case BEAM -> GenerationOptions.beam(beams, maxLength, minLength).withNumReturnSequences(numCaptions);
        };
        if (repetitionPenalty != null) {
            o = o.withRepetitionPenalty(repetitionPenalty);
        }
        return o.withLengthPenalty(lengthPenalty, false).withSeed(seed);
    }

    /** The sampling seed of one image: depends on the run seed and the image's key, never on its batch position. */
    public static long imageSeed(long seed, String imageKey) {
        return NucleusSampler.rowSeed(seed, fnv64(imageKey));
    }

    /** Stable 64-bit FNV-1a hash of a key. */
    static long fnv64(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
