package org.blip4j.data;

import java.nio.file.Path;
import java.util.List;

/**
 * What reading one tar shard produced and dropped.
 *
 * @param samples        samples emitted
 * @param withoutImage   keys with members but no image member (dropped)
 * @param withoutCaption keys with an image but no caption, dropped when captions are required (else emitted)
 * @param badMetadata    {@code .json} members that are not a JSON object (treated as carrying no caption)
 * @param examples       the first few dropped or malformed members, for the log
 */
public record ShardReport(Path shard, int samples, int withoutImage, int withoutCaption, int badMetadata,
                          List<String> examples) {
    public ShardReport {
        examples = List.copyOf(examples);
    }

    public boolean clean() {
        return withoutImage == 0 && withoutCaption == 0 && badMetadata == 0;
    }
}
