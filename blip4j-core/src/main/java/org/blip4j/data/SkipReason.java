package org.blip4j.data;

/** Why the loader skipped a sample. */
public enum SkipReason {
    /** The image file or its shard does not exist or cannot be read. */
    MISSING,
    /** The bytes are not a decodable image (corrupt, truncated, unsupported, too large). */
    UNDECODABLE
}
