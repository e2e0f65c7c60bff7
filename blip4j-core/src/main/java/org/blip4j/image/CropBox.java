package org.blip4j.image;

/** A pixel-aligned crop region: {@code [left, left + width) x [top, top + height)}. */
public record CropBox(int left, int top, int width, int height) {
    public CropBox {
        if (left < 0 || top < 0 || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("invalid crop box " + left + "," + top + " " + width + "x" + height);
        }
    }
}
