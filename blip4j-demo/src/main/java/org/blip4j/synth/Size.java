package org.blip4j.synth;

import java.util.Locale;

/** Object sizes as a radius in units of the image side; far apart so "small" and "large" are unambiguous. */
public enum Size {
    SMALL(0.11), LARGE(0.19);

    private final double radius;

    Size(double radius) {
        this.radius = radius;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public double radius() {
        return radius;
    }
}
