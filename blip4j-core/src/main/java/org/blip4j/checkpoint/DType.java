package org.blip4j.checkpoint;

/** Element types found in checkpoints, with their safetensors names and sizes in bytes. */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    /** Parses a safetensors dtype string ("F32", "BF16", ...). */
    public static DType fromSafetensors(String name) {
        try {
            return valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unsupported tensor dtype '" + name + "'");
        }
    }
}
