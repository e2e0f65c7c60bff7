package org.blip4j.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An annotation file is not in the expected format. The message names the file and, where known, the record
 * index (0-based position in the JSON array) and the offending field.
 */
public class AnnotationFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Record index when the problem is in one record, else -1. */
    private final int record;

    public AnnotationFormatException(Path file, int record, String message) {
        this(file, record, message, null);
    }

    public AnnotationFormatException(Path file, int record, String message, Throwable cause) {
        super(file + (record >= 0 ? ": record " + record : "") + ": " + message, cause);
        this.record = record;
    }

    public int record() {
        return record;
    }
}
