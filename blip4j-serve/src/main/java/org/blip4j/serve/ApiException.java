package org.blip4j.serve;

/**
 * A request the server refuses, with the HTTP status and a message naming the field; the server answers
 * {@code {"error": message}} and keeps serving.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String message) {
        this(status, message, null);
    }

    public ApiException(int status, String message, Integer retryAfterSeconds) {
        super(message);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static ApiException badField(String field, String problem) {
        return new ApiException(400, "field '" + field + "': " + problem);
    }

    public int status() {
        return status;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
