package org.blip4j.data;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What reading one tar shard produced and dropped.
 *
 * @param samples        samples emitted
 * @param withoutImage   keys with members but no usable image member (dropped)
 * @param withoutCaption keys with an image but no caption, dropped when captions are required (else emitted)
 * @param badMetadata    {@code .json} members that are not a JSON object (treated as carrying no caption)
 * @param examples       the first few dropped or malformed members, for the log
 * @param skippedMembers members never used, by reason (links, unsafe names, sparse, oversized, truncated shard)
 */
public record ShardReport(Path shard, int samples, int withoutImage, int withoutCaption, int badMetadata,
                          List<String> examples, Map<MemberSkip, Integer> skippedMembers) {
    public ShardReport {
        examples = List.copyOf(examples);
        EnumMap<MemberSkip, Integer> m = new EnumMap<>(MemberSkip.class);
        skippedMembers.forEach((k, v) -> {
            if (v != null && v > 0) {
                m.put(k, v);
            }
        });
        skippedMembers = java.util.Collections.unmodifiableMap(m);
    }

    /** A report with no skipped members. */
    public ShardReport(Path shard, int samples, int withoutImage, int withoutCaption, int badMetadata,
            List<String> examples) {
        this(shard, samples, withoutImage, withoutCaption, badMetadata, examples, Map.of());
    }

    public int skipped(MemberSkip reason) {
        return skippedMembers.getOrDefault(reason, 0);
    }

    public boolean clean() {
        return withoutImage == 0 && withoutCaption == 0 && badMetadata == 0 && skippedMembers.isEmpty();
    }
}
