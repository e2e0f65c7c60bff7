package org.blip4j.model;

import java.util.List;

/** A checkpoint that does not fit the model: every missing, unexpected and mis-shaped key, in one message. */
public final class CheckpointMismatchException extends IllegalArgumentException {
    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> wrongShape;

    public CheckpointMismatchException(String source, List<String> missing, List<String> unexpected,
            List<String> wrongShape) {
        super(format(source, missing, unexpected, wrongShape));
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.wrongShape = List.copyOf(wrongShape);
    }

    private static String format(String source, List<String> missing, List<String> unexpected,
            List<String> wrongShape) {
        StringBuilder sb = new StringBuilder("checkpoint ").append(source).append(" does not fit the model (")
                .append(missing.size()).append(" missing, ").append(unexpected.size()).append(" unexpected, ")
                .append(wrongShape.size()).append(" wrong shape):");
        missing.forEach(m -> sb.append("\n  missing key: ").append(m));
        unexpected.forEach(u -> sb.append("\n  unexpected key: ").append(u));
        wrongShape.forEach(w -> sb.append("\n  wrong shape: ").append(w));
        return sb.toString();
    }

    public List<String> missing() {
        return missing;
    }

    public List<String> unexpected() {
        return unexpected;
    }

    public List<String> wrongShape() {
        return wrongShape;
    }
}
