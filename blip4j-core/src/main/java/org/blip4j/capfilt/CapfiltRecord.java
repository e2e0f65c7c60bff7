package org.blip4j.capfilt;

import java.util.Objects;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.generate.NucleusSampler;

/**
 * One (image, text) pair of the bootstrapped dataset, kept or removed.
 *
 * @param sourceIndex index of the record in its input file (web.json or human.json)
 * @param textIndex which text of that record: the caption-list position (web, human) or the sample (synthetic)
 * @param itm filter P(match); NaN for human pairs (never filtered)
 * @param itc ITC cosine; NaN when the filter has no projections or for human pairs
 * @param decoding how a synthetic text was generated; null otherwise
 * @param origin shard, key and metadata of a record read from a webdataset shard; null otherwise
 */
public record CapfiltRecord(String image, String caption, Source source, int sourceIndex, int textIndex,
        double itm, double itc, boolean kept, Decoding decoding, ShardOrigin origin) {

    /** A record of BLIP JSON input. */
    public CapfiltRecord(String image, String caption, Source source, int sourceIndex, int textIndex,
            double itm, double itc, boolean kept, Decoding decoding) {
        this(image, caption, source, sourceIndex, textIndex, itm, itc, kept, decoding, null);
    }

    /** Where a text comes from. */
    public enum Source {
        WEB, SYNTHETIC, HUMAN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Source of(String label) {
            return valueOf(label.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * Decoding settings and provenance of a synthetic caption.
     *
     * @param seed the run seed; {@code sampleSeed} the stream this caption's image used (derived from the run seed
     *     and the record's source index)
     * @param captioner index of the captioner in the ensemble (0 for a single captioner)
     * @param candidate which of the image's captions from that captioner, 0..K-1 (sampling: candidate c draws
     *     from its own stream {@link #candidateSeed()}, so candidate c is the same whatever K is)
     */
    public record Decoding(String strategy, double topP, int topK, double repetitionPenalty, long seed,
            long sampleSeed, int maxLength, int minLength, int numBeams, int captioner, int candidate) {
        public Decoding {
            if (captioner < 0 || candidate < 0) {
                throw new IllegalArgumentException("captioner and candidate must be >= 0, got " + captioner
                        + " and " + candidate);
            }
        }

        /** The first caption of the only captioner. */
        static Decoding of(GenerationOptions g, long sampleSeed) {
            return of(g, sampleSeed, 0, 0);
        }

        static Decoding of(GenerationOptions g, long sampleSeed, int captioner, int candidate) {
            return new Decoding(g.strategy().name().toLowerCase(java.util.Locale.ROOT), g.topP(), g.topK(),
                    g.repetitionPenalty(), g.seed(), sampleSeed, g.maxLength(), g.minLength(), g.numBeams(),
                    captioner, candidate);
        }

        /** The sampling stream of this candidate (the decoder row seed {@code Captioner} gives it). */
        public long candidateSeed() {
            return NucleusSampler.rowSeed(sampleSeed, candidate);
        }

        boolean sampled() {
            return strategy.equals("sample");
        }
    }

    public CapfiltRecord {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(caption, "caption");
        Objects.requireNonNull(source, "source");
        if ((source == Source.SYNTHETIC) != (decoding != null)) {
            throw new IllegalArgumentException("decoding is required for synthetic texts and only for them");
        }
    }

    /** Identity within a run: one record per (source, source index or shard + key, text index). */
    public String key() {
        return origin != null ? source.label() + "_" + origin.token() + "_" + textIndex
                : source.label() + "_" + sourceIndex + "_" + textIndex;
    }
}
