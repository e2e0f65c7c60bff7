package org.blip4j.spark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.blip4j.bulk.ShardJob;

/**
 * Models loaded once per executor JVM and shared read-only by its concurrent tasks (like {@code capfilt
 * --workers}). Kept for the JVM's life: executors are reused across jobs, and a model load costs more than a shard.
 * Each load is logged with the JVM's age at that moment (the executor's stderr): where an executor's fixed cost
 * goes (JVM and Spark start before the first task, then the engine and models).
 */
final class ExecutorResources {
    private static final Map<String, Object> OPEN = new HashMap<>();

    private ExecutorResources() {
    }

    @SuppressWarnings("unchecked")
    static synchronized <R> R get(ShardJob<R> job) throws IOException {
        Object r = OPEN.get(job.resourceKey());
        if (r == null) {
            long up = ManagementFactory.getRuntimeMXBean().getUptime();
            long t0 = System.nanoTime();
            r = job.open();
            OPEN.put(job.resourceKey(), r);
            System.err.printf(Locale.ROOT, "blip4j executor (pid %d): first task at JVM age %.1f s; engine and "
                    + "models loaded in %.1f s%n", ProcessHandle.current().pid(), up / 1e3,
                    (System.nanoTime() - t0) / 1e9);
        }
        return (R) r;
    }
}
