package org.blip4j.synth;

/** Where the first of two objects is relative to the second; it fixes both objects' positions. */
public enum Relation {
    LEFT_OF("to the left of", Position.LEFT, Position.RIGHT),
    RIGHT_OF("to the right of", Position.RIGHT, Position.LEFT),
    ABOVE("above", Position.TOP, Position.BOTTOM),
    BELOW("below", Position.BOTTOM, Position.TOP);

    private final String phrase;
    private final Position first;
    private final Position second;

    Relation(String phrase, Position first, Position second) {
        this.phrase = phrase;
        this.first = first;
        this.second = second;
    }

    public String phrase() {
        return phrase;
    }

    public Position firstPosition() {
        return first;
    }

    public Position secondPosition() {
        return second;
    }

    public boolean horizontal() {
        return this == LEFT_OF || this == RIGHT_OF;
    }

    /** The same arrangement seen from the second object. */
    public Relation inverse() {
        return switch (this) {
            case LEFT_OF -> RIGHT_OF;
            case RIGHT_OF -> LEFT_OF;
            case ABOVE -> BELOW;
            case BELOW -> ABOVE;
        };
    }
}
