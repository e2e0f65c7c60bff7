package org.blip4j.spark;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.blip4j.bulk.ShardJob;

/**
 * Models loaded once per executor JVM and shared read-only by its concurrent tasks (like {@code capfilt
 * --workers}). Kept for the JVM's life: executors are reused across jobs, and a model load costs more than a shard.
 */
final class ExecutorResources {
    private static final Map<String, Object> OPEN = new HashMap<>();

    private ExecutorResources() {
    }

    @SuppressWarnings("unchecked")
    static synchronized <R> R get(ShardJob<R> job) throws IOException {
        Object r = OPEN.get(job.resourceKey());
        if (r == null) {
            r = job.open();
            OPEN.put(job.resourceKey(), r);
        }
        return (R) r;
    }
}
