package org.blip4j.synth;

import java.util.Objects;

/**
 * One drawn object. {@code cx, cy} is its actual (jittered) centre in units of the image side; {@code position}
 * is what captions say about it.
 */
public record SceneObject(Shape shape, Colour colour, Size size, Position position, double cx, double cy) {
    public SceneObject {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(colour, "colour");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(position, "position");
    }

    public SceneObject withShape(Shape s) {
        return new SceneObject(s, colour, size, position, cx, cy);
    }

    public SceneObject withColour(Colour c) {
        return new SceneObject(shape, c, size, position, cx, cy);
    }

    public SceneObject withSize(Size s) {
        return new SceneObject(shape, colour, s, position, cx, cy);
    }

    /** Moves the object to the nominal centre of {@code p} (used only for descriptions that are never drawn). */
    public SceneObject withPosition(Position p) {
        return new SceneObject(shape, colour, size, p, p.x(), p.y());
    }

    public double radius() {
        return size.radius();
    }
}
