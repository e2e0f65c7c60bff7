package org.blip4j.capfilt;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a CapFilt run reads and writes.
 *
 * @param captioner how the captioner was named (recorded in {@code capfilt.json}; a resume must name the same)
 * @param filter how the filter was named
 * @param data web annotations (BLIP JSON)
 * @param images root the web and human image paths are relative to
 * @param human human-annotated pairs (BLIP JSON), copied unfiltered; null for none
 * @param out output directory
 * @param noiseLabels ground truth of the web texts ({@link NoiseLabels}: index -> label, "clean" or a kind of noise);
 *     null for none
 * @param shardSize web records per part (and samples per webdataset shard)
 * @param writeShards also write webdataset shards of the kept pairs
 */
public record CapfiltConfig(String captioner, String filter, Path data, Path images, Path human, Path out,
        Path noiseLabels, int shardSize, boolean writeShards) {
    public CapfiltConfig {
        Objects.requireNonNull(captioner, "captioner");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(out, "out");
        if (shardSize < 1) {
            throw new IllegalArgumentException("shard size must be >= 1, got " + shardSize);
        }
    }

    public CapfiltConfig withShardSize(int n) {
        return new CapfiltConfig(captioner, filter, data, images, human, out, noiseLabels, n, writeShards);
    }

    public CapfiltConfig withOut(Path o) {
        return new CapfiltConfig(captioner, filter, data, images, human, o, noiseLabels, shardSize, writeShards);
    }
}
