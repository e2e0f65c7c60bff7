package org.blip4j.synth;

import java.util.Objects;

/**
 * Background: {@code variant} picks a stripe orientation or gradient direction, {@code textureSeed} the noise
 * and dot offsets, so a background is a pure value and renders identically every time.
 */
public record Background(BackgroundPattern pattern, BackgroundColour colour, int variant, long textureSeed) {
    public Background {
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(colour, "colour");
    }
}
