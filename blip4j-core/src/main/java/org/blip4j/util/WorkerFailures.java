package org.blip4j.util;

import java.io.IOException;

/** The first failure of a pool of workers, rethrown in the thread that waited for them. */
public final class WorkerFailures {
    private WorkerFailures() {
    }

    /** Throws {@code t} as it was thrown (a checked exception other than IOException wrapped); null returns. */
    public static void rethrow(Throwable t) throws IOException {
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IOException(t);
        }
    }
}
