package org.blip4j.spark;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.blip4j.capfilt.CapfiltJob;
import org.blip4j.capfilt.CapfiltModels;

/**
 * Models loaded once per executor JVM and shared read-only by its concurrent tasks (like {@code capfilt
 * --workers}). Kept for the JVM's life: executors are reused across jobs, and a model load costs more than a shard.
 */
final class ExecutorModels {
    private static final Map<String, CapfiltModels> CAPFILT = new HashMap<>();

    private ExecutorModels() {
    }

    static synchronized CapfiltModels capfilt(CapfiltJob job) throws IOException {
        CapfiltModels m = CAPFILT.get(job.modelKey());
        if (m == null) {
            m = job.openModels();
            CAPFILT.put(job.modelKey(), m);
        }
        return m;
    }
}
