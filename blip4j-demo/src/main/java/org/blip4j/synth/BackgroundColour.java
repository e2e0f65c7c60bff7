package org.blip4j.synth;

import java.util.Locale;

/** Achromatic background colours, so any object colour stands out; {@code shade} draws textures. */
public enum BackgroundColour {
    WHITE(0xF5F5F5, 0xD0D0D0), GRAY(0x808080, 0xA2A2A2), BLACK(0x141414, 0x404040);

    private final int rgb;
    private final int shade;

    BackgroundColour(int rgb, int shade) {
        this.rgb = rgb;
        this.shade = shade;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public int rgb() {
        return rgb;
    }

    public int shade() {
        return shade;
    }
}
