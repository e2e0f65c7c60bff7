package org.blip4j.synth;

import java.util.Locale;

/** Ground-truth label of a web text, as written to {@code web_noise.json}. */
public enum NoiseKind {
    /** A true caption of the image. */
    CLEAN,
    /** The true caption of another web image that shares no (colour, shape) object with this one. */
    MISMATCHED,
    /** A true caption with exactly one attribute (colour, shape, size, position or relation) made wrong. */
    ATTRIBUTE,
    /** Boilerplate or word salad unrelated to any image. */
    JUNK;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
