package org.blip4j.bulk;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One job over webdataset shards, described by plain values so it can be shipped to cluster workers. Each worker
 * JVM opens the job's resources (models) once, keyed by {@link #resourceKey()}, and computes shards with them.
 *
 * @param <R> what a worker opens once and shares among its concurrent shards (read-only)
 */
public interface ShardJob<R> extends Serializable {

    /** Jobs with equal keys can share opened resources in one JVM. */
    String resourceKey();

    /** Configures the engine (first call in a JVM wins) and loads the models. */
    R open() throws IOException;

    /** Where shard parts go: {@code partsDir()/NAME.jsonl}. */
    Path partsDir();

    /** Computes one shard's part and writes it atomically; returns the samples read. */
    default int computeShard(Path shard, R resources) throws IOException {
        return computeSlice(shard, 0, Integer.MAX_VALUE, part(shard), resources);
    }

    /**
     * Computes the shard's samples {@code [from, to)} (by position among the samples {@link #samples} counts) and
     * writes them atomically to {@code file} in the part's line format: result lines, then unreadable-image lines,
     * then the whole shard's summary line. {@link ShardSlices} concatenates slices into the part.
     *
     * @return the samples of the slice
     */
    int computeSlice(Path shard, int from, int to, Path file, R resources) throws IOException;

    /** How many samples this job reads from a shard (its tar index and texts only, no image decoded). */
    int samples(Path shard) throws IOException;

    /** The part file of a shard. */
    default Path part(Path shard) {
        return partsDir().resolve(ShardIdentity.partName(shard) + ".jsonl");
    }

    /** Whether a shard's part exists (complete by construction: parts are renamed into place). */
    default boolean done(Path shard) {
        return Files.isRegularFile(part(shard));
    }
}
