package org.blip4j.synth;

import java.util.Locale;

/** Object kinds; chosen so their silhouettes stay distinct after resizing to 64 px. */
public enum Shape {
    CIRCLE(0, 0), SQUARE(0, 0), TRIANGLE(0, 0.1), STAR(0, 0), RING(0.75, 0), CROSS(0, 0);

    private final double interiorDx;
    private final double interiorDy;

    Shape(double interiorDx, double interiorDy) {
        this.interiorDx = interiorDx;
        this.interiorDy = interiorDy;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Offset, in units of the object's radius, of a point inside the filled area (a ring's centre is hollow). */
    public double interiorDx() {
        return interiorDx;
    }

    public double interiorDy() {
        return interiorDy;
    }
}
