package org.blip4j.data;

/** A loader failure that is not a skippable bad image: a transform bug, inconsistent output, interruption. */
public class DataLoaderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DataLoaderException(String message) {
        super(message);
    }

    public DataLoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
