package org.blip4j.synth;

import java.util.Locale;

/** Background textures; each is drawn in the background colour and its shade, never in an object colour. */
public enum BackgroundPattern {
    PLAIN, STRIPED, DOTTED, NOISY, GRADIENT;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
