package org.blip4j.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One key of a webdataset shard with everything CapFilt and the bulk commands carry through: the image member,
 * its texts and the {@code KEY.json} metadata as it was (null when the key has none).
 *
 * @param ordinal position of the key among the shard's keys (stable for a given shard file)
 */
public record ShardSample(String key, ImageSource.TarMember image, List<String> captions, ObjectNode metadata,
        int ordinal) {
    public ShardSample {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(image, "image");
        captions = List.copyOf(captions);
    }
}
