package org.blip4j.capfilt;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

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

    /** A 63-bit number from SHA-256(shard NUL key): the index the record's sampling seed is derived from. */
    public long seedKey() {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(shard.getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            d.update(key.getBytes(StandardCharsets.UTF_8));
            byte[] h = d.digest();
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (h[i] & 0xff);
            }
            return v >>> 1;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The shard name and key as a token for file and sample names: anything but [A-Za-z0-9_-] becomes '-'. */
    public String token() {
        return (stem(shard) + "_" + key).replaceAll("[^A-Za-z0-9_-]", "-");
    }

    /** A shard's name without {@code .tar}: its part file is {@code OUT/parts/STEM.jsonl}. */
    public static String stem(String shardFileName) {
        return shardFileName.endsWith(".tar") ? shardFileName.substring(0, shardFileName.length() - 4)
                : shardFileName;
    }
}
