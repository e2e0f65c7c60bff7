package org.blip4j.capfilt;

import java.util.Map;
import java.util.TreeMap;
import org.blip4j.data.ShardReport;

/**
 * What one input shard gave a CapFilt run: samples read, keys and members skipped by reason, or why the whole
 * shard could not be read ({@code error}, non-null: a corrupt shard among good ones is counted, not fatal).
 * Stored as a line of the shard's part file so the report can be rebuilt from the parts alone.
 */
public record ShardSummary(String shard, int samples, int withoutImage, int withoutCaption, int badMetadata,
        Map<String, Integer> skippedMembers, String error) {
    public ShardSummary {
        skippedMembers = Map.copyOf(new TreeMap<>(skippedMembers));
    }

    static ShardSummary of(String shard, ShardReport r) {
        Map<String, Integer> m = new TreeMap<>();
        r.skippedMembers().forEach((k, v) -> m.put(k.label(), v));
        return new ShardSummary(shard, r.samples(), r.withoutImage(), r.withoutCaption(), r.badMetadata(), m, null);
    }

    static ShardSummary failed(String shard, String error) {
        return new ShardSummary(shard, 0, 0, 0, 0, Map.of(), error);
    }
}
