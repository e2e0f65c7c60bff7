package org.blip4j.synth;

import java.util.Locale;

/** Where an object sits, with its nominal centre in units of the image side and its caption phrase. */
public enum Position {
    LEFT(0.27, 0.5, "on the left"), RIGHT(0.73, 0.5, "on the right"), TOP(0.5, 0.27, "at the top"),
    BOTTOM(0.5, 0.73, "at the bottom"), CENTER(0.5, 0.5, "in the center");

    private final double x;
    private final double y;
    private final String phrase;

    Position(double x, double y, String phrase) {
        this.x = x;
        this.y = y;
        this.phrase = phrase;
    }

    public double x() {
        return x;
    }

    public double y() {
        return y;
    }

    public String phrase() {
        return phrase;
    }

    /** The label word ("left", "center", …) used in scene and label files. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
