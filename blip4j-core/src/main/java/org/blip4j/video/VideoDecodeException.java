package org.blip4j.video;

/** A video (or frames directory) that cannot be read; names the source and the reason. */
public class VideoDecodeException extends RuntimeException {
    public VideoDecodeException(String source, String reason) {
        super(source + ": " + reason);
    }

    public VideoDecodeException(String source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
    }
}
