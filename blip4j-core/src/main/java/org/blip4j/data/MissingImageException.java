package org.blip4j.data;

/** The image file (or the shard holding it) does not exist or cannot be read; distinct from a corrupt image. */
public class MissingImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MissingImageException(String source, String reason) {
        super(source + ": " + reason);
    }

    public MissingImageException(String source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
    }
}
