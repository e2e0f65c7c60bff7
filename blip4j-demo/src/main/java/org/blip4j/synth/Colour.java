package org.blip4j.synth;

import java.util.Locale;

/** Saturated object colours, far apart from each other and from every {@link BackgroundColour}. */
public enum Colour {
    RED(0xE0201E), ORANGE(0xFF8C00), YELLOW(0xF5D80F), GREEN(0x1EAA3C), BLUE(0x1E50E6), PURPLE(0x8C28BE),
    PINK(0xFF69B4);

    private final int rgb;

    Colour(int rgb) {
        this.rgb = rgb;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int rgb() {
        return rgb;
    }
}
