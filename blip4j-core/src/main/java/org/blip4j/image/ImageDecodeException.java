package org.blip4j.image;

/**
 * An image could not be turned into pixels: unreadable, truncated, not an image, unsupported, or larger than
 * the configured pixel limit. The message always names the source (file path or the caller's label).
 */
public class ImageDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ImageDecodeException(String source, String reason) {
        super(source + ": " + reason);
    }

    public ImageDecodeException(String source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
    }
}
