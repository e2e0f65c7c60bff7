package org.blip4j.bulk;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.blip4j.util.DaemonThreads;
import org.blip4j.util.WorkerFailures;

/** Runs a {@link ShardJob} over shards in this JVM: missing parts only, {@code workers} shards at a time. */
public final class ShardJobRunner {
    private ShardJobRunner() {
    }

    /** The shards whose part does not exist yet, in the given order. */
    public static List<Path> missing(ShardJob<?> job, List<Path> shards) {
        List<Path> out = new ArrayList<>();
        for (Path s : shards) {
            if (!job.done(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Opens the job's resources once (closed afterwards when closeable), computes each shard on one of
     * {@code workers} threads, and stops handing out shards at the first failure (finished parts stay).
     *
     * @param onShard told each finished shard (from worker threads, one at a time)
     */
    public static <R> void computeHere(ShardJob<R> job, List<Path> shards, int workers, Consumer<Path> onShard)
            throws IOException {
        computeHere(job, shards, workers, 0, onShard);
    }

    /**
     * As {@link #computeHere(ShardJob, List, int, Consumer)}, with shards of more than {@code recordsPerTask}
     * samples cut into slices computed as separate tasks and then assembled into their parts here
     * ({@link ShardSlices}; 0: one task per shard).
     */
    public static <R> void computeHere(ShardJob<R> job, List<Path> shards, int workers, int recordsPerTask,
            Consumer<Path> onShard) throws IOException {
        if (shards.isEmpty()) {
            return;
        }
        List<ShardSlices.Task> tasks = ShardSlices.plan(job, shards, recordsPerTask);
        R resources = job.open();
        ExecutorService pool = Executors.newFixedThreadPool(workers, DaemonThreads.named("blip4j-shards"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            for (ShardSlices.Task task : tasks) {
                pool.execute(() -> {
                    if (failure.get() != null) {
                        return;
                    }
                    try {
                        ShardSlices.run(job, task, resources);
                        if (task.whole()) {
                            synchronized (onShard) {
                                onShard.accept(task.path());
                            }
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    }
                });
            }
        } finally {
            pool.shutdown();
            try {
                while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    // bounded by the shards in flight
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for shard workers");
            }
            if (resources instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing native memory after the work is done; nothing to recover
                }
            }
        }
        WorkerFailures.rethrow(failure.get());
        for (var e : ShardSlices.slicedShards(tasks).entrySet()) {
            ShardSlices.assemble(job, e.getKey(), e.getValue());
            onShard.accept(e.getKey());
        }
    }
}
