package org.blip4j.bulk;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A shard sample's identity (shard file name, key) and what derives from it: the part file a shard's results go
 * to and the number a sample's random seed derives from. Neither depends on partitioning, order or retries.
 */
public final class ShardIdentity {
    private ShardIdentity() {
    }

    /** A 63-bit number from SHA-256(shard NUL key). */
    public static long seedKey(String shard, String key) {
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

    /** A shard's file name without {@code .tar}: its part is {@code PARTS/STEM.jsonl}. */
    public static String stem(String shardFileName) {
        return shardFileName.endsWith(".tar") ? shardFileName.substring(0, shardFileName.length() - 4)
                : shardFileName;
    }

    public static String partName(Path shard) {
        return stem(shard.getFileName().toString());
    }
}
