package org.blip4j.capfilt;

/** An output directory holds a run with other arguments; resuming it would mix two datasets. */
public final class CapfiltArgumentsException extends IllegalStateException {
    public CapfiltArgumentsException(String message) {
        super(message);
    }
}
