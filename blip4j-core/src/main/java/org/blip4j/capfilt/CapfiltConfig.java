package org.blip4j.capfilt;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a CapFilt run reads and writes.
 *
 * @param captioner how the captioner was named (recorded in {@code capfilt.json}; a resume must name the same)
 * @param filter how the filter was named
 * @param data web annotations (BLIP JSON); null when the web records come from {@code webShards}
 * @param images root the web and human image paths are relative to; may be null for shard input without human
 *     pairs
 * @param human human-annotated pairs (BLIP JSON), copied unfiltered; null for none
 * @param out output directory
 * @param noiseLabels ground truth of the web texts ({@link NoiseLabels}: index -> label, "clean" or a kind of noise);
 *     null for none
 * @param shardSize web records per part (and samples per webdataset shard)
 * @param writeShards also write webdataset shards of the kept pairs
 * @param webShards webdataset shards of web records (img2dataset layout), one part each; empty for JSON input
 */
public record CapfiltConfig(String captioner, String filter, Path data, Path images, Path human, Path out,
        Path noiseLabels, int shardSize, boolean writeShards, List<Path> webShards) {
    public CapfiltConfig {
        Objects.requireNonNull(captioner, "captioner");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(out, "out");
        webShards = List.copyOf(webShards);
        if ((data == null) == webShards.isEmpty()) {
            throw new IllegalArgumentException("give either a BLIP JSON web file or webdataset shards");
        }
        if (data != null || human != null) {
            Objects.requireNonNull(images, "images (the image root of the JSON records)");
        }
        if (shardSize < 1) {
            throw new IllegalArgumentException("shard size must be >= 1, got " + shardSize);
        }
        Map<String, Path> names = new HashMap<>();
        for (Path s : webShards) {
            Path before = names.put(partName(s), s);
            if (before != null) {
                throw new IllegalArgumentException("two shards would share the part file " + partName(s)
                        + ".jsonl: " + before + " and " + s + " (shard file names must differ)");
            }
        }
    }

    /** JSON input. */
    public CapfiltConfig(String captioner, String filter, Path data, Path images, Path human, Path out,
            Path noiseLabels, int shardSize, boolean writeShards) {
        this(captioner, filter, data, images, human, out, noiseLabels, shardSize, writeShards, List.of());
    }

    /** Whether the web records come from webdataset shards. */
    public boolean shardInput() {
        return !webShards.isEmpty();
    }

    /** The part a shard's records go to: {@code OUT/parts/NAME.jsonl}, NAME = the shard file name less .tar. */
    public static String partName(Path shard) {
        return org.blip4j.bulk.ShardIdentity.partName(shard);
    }

    public CapfiltConfig withShardSize(int n) {
        return new CapfiltConfig(captioner, filter, data, images, human, out, noiseLabels, n, writeShards, webShards);
    }

    public CapfiltConfig withOut(Path o) {
        return new CapfiltConfig(captioner, filter, data, images, human, o, noiseLabels, shardSize, writeShards,
                webShards);
    }
}
