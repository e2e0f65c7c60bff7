package org.blip4j.model;

import java.util.Set;

/** Asked a model for a part its checkpoint does not hold (e.g. captioning with a retrieval checkpoint). */
public final class MissingPartException extends IllegalStateException {
    public MissingPartException(Part needed, String operation, Set<Part> present) {
        super(operation + " needs the " + needed.description + " (" + needed.prefix + "*), but this model holds only: "
                + present.stream().map(p -> p.description).toList());
    }
}
