package org.blip4j.data;

/** Why a tar member was not used; counted per shard in {@link ShardReport#skippedMembers()}. */
public enum MemberSkip {
    /** An absolute name, a {@code ..} segment, a backslash or a control character: never used to build a path. */
    UNSAFE_NAME,
    /** A symbolic or hard link: never followed. */
    LINK,
    /** A device, FIFO or other non-regular entry. */
    SPECIAL_FILE,
    /** A sparse member (GNU or PAX): its real size is whatever the header claims, so it is not read. */
    SPARSE,
    /** Larger than the reader's per-member cap. */
    TOO_LARGE,
    /** The shard ends (or its headers stop making sense) here: the rest of the shard is lost. */
    TRUNCATED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
