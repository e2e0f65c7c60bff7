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
        if (shards.isEmpty()) {
            return;
        }
        R resources = job.open();
        ExecutorService pool = Executors.newFixedThreadPool(workers, DaemonThreads.named("blip4j-shards"));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            for (Path shard : shards) {
                pool.execute(() -> {
                    if (failure.get() != null) {
                        return;
                    }
                    try {
                        job.computeShard(shard, resources);
                        synchronized (onShard) {
                            onShard.accept(shard);
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
        Throwable t = failure.get();
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
