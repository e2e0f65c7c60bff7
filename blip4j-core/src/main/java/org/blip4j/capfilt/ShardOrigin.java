package org.blip4j.capfilt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.blip4j.bulk.ShardIdentity;

/**
 * Where a web record read from a webdataset shard comes from: the shard's file name and the sample key. This is
 * the record's identity: stable across runs, partitionings, retries and worker counts, so its sampling seed
 * derives from it ({@link #seedKey()}). {@code metadata} is the sample's {@code KEY.json}, carried through as is.
 */
public record ShardOrigin(String shard, String key, ObjectNode metadata) {
    public ShardOrigin {
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(key, "key");
    }

    /** The number the record's sampling seed derives from (see {@link ShardIdentity#seedKey}). */
    public long seedKey() {
        return ShardIdentity.seedKey(shard, key);
    }

    /** The shard name and key as a token for file and sample names: anything but [A-Za-z0-9_-] becomes '-'. */
    public String token() {
        return (stem(shard) + "_" + key).replaceAll("[^A-Za-z0-9_-]", "-");
    }

    /** A shard's name without {@code .tar}: its part file is {@code OUT/parts/STEM.jsonl}. */
    public static String stem(String shardFileName) {
        return ShardIdentity.stem(shardFileName);
    }
}
