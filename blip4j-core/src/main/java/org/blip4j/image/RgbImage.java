package org.blip4j.image;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * An 8-bit RGB image stored row-major with interleaved channels ({@code r,g,b,r,g,b,...}), the layout of a PIL
 * {@code "RGB"} image / a numpy HWC uint8 array. Immutable by convention: operations return new images and never
 * write into {@link #data()} of their input.
 */
public final class RgbImage {
    private final int width;
    private final int height;
    private final byte[] data;

    /** Wraps (does not copy) {@code data}, which must hold exactly {@code width * height * 3} bytes. */
    public RgbImage(int width, int height, byte[] data) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (data == null || (long) width * height * 3 != data.length) {
            throw new IllegalArgumentException("expected " + ((long) width * height * 3) + " bytes for a " + width
                    + "x" + height + " RGB image, got " + (data == null ? "null" : data.length));
        }
        this.width = width;
        this.height = height;
        this.data = data;
    }

    /** An image with every pixel set to {@code (r, g, b)}. */
    public static RgbImage filled(int width, int height, int r, int g, int b) {
        byte[] d = new byte[Math.multiplyExact(Math.multiplyExact(width, height), 3)];
        for (int i = 0; i < d.length; i += 3) {
            d[i] = (byte) r;
            d[i + 1] = (byte) g;
            d[i + 2] = (byte) b;
        }
        return new RgbImage(width, height, d);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The backing array (not a copy); treat as read-only. */
    public byte[] data() {
        return data;
    }

    /** Channel {@code c} (0 = R, 1 = G, 2 = B) of pixel (x, y) as 0..255. */
    public int get(int x, int y, int c) {
        return data[(y * width + x) * 3 + c] & 0xFF;
    }

    /** The sub-image {@code [left, left+w) x [top, top+h)}, which must lie inside this image (PIL {@code crop}). */
    public RgbImage crop(int left, int top, int w, int h) {
        if (left < 0 || top < 0 || w <= 0 || h <= 0 || left + w > width || top + h > height) {
            throw new IllegalArgumentException("crop box (left=" + left + ", top=" + top + ", w=" + w + ", h=" + h
                    + ") is not inside a " + width + "x" + height + " image");
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            System.arraycopy(data, ((top + y) * width + left) * 3, out, y * w * 3, w * 3);
        }
        return new RgbImage(w, h, out);
    }

    /** A {@code TYPE_INT_RGB} copy, e.g. for writing with ImageIO. */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] argb = new int[width * height];
        for (int i = 0, p = 0; i < argb.length; i++, p += 3) {
            argb[i] = (data[p] & 0xFF) << 16 | (data[p + 1] & 0xFF) << 8 | (data[p + 2] & 0xFF);
        }
        img.setRGB(0, 0, width, height, argb, 0, width);
        return img;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && other.width == width && other.height == height
                && Arrays.equals(other.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
