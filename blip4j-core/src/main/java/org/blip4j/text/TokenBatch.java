package org.blip4j.text;

/**
 * Token ids and attention masks of a batch of texts, row-major {@code [batch][length]}; rows are ragged only
 * with {@link Padding#NONE}. Arrays are shared, not copied: treat them as read-only ({@code equals} is the
 * record default, i.e. array identity; compare contents with {@code Arrays.deepEquals}).
 */
public record TokenBatch(long[][] ids, long[][] attentionMask) {
    public TokenBatch {
        if (ids.length != attentionMask.length) {
            throw new IllegalArgumentException("ids has " + ids.length + " rows, attentionMask " + attentionMask.length);
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].length != attentionMask[i].length) {
                throw new IllegalArgumentException("row " + i + ": ids length " + ids[i].length
                        + " != attentionMask length " + attentionMask[i].length);
            }
        }
    }

    public int size() {
        return ids.length;
    }

    /** Common row length; throws for a ragged batch. */
    public int length() {
        int len = ids.length == 0 ? 0 : ids[0].length;
        for (long[] row : ids) {
            if (row.length != len) {
                throw new IllegalStateException("ragged batch (padding NONE): rows of length " + len + " and "
                        + row.length);
            }
        }
        return len;
    }

    /** {@code [size, length]}, for building a tensor from {@link #flatIds()}. */
    public long[] shape() {
        return new long[] {size(), length()};
    }

    public long[] flatIds() {
        return flatten(ids);
    }

    public long[] flatAttentionMask() {
        return flatten(attentionMask);
    }

    /**
     * A copy with column 0 ([CLS]) replaced, as BLIP does: [ENC] for the image-grounded encoder, [DEC] for the
     * decoder (see {@link SpecialTokens}). The attention mask is shared.
     */
    public TokenBatch withFirstToken(long id) {
        long[][] out = new long[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i].clone();
            if (out[i].length > 0) {
                out[i][0] = id;
            }
        }
        return new TokenBatch(out, attentionMask);
    }

    private long[] flatten(long[][] rows) {
        int len = length();
        long[] flat = new long[rows.length * len];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * len, len);
        }
        return flat;
    }
}
