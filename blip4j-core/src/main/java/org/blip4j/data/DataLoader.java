package org.blip4j.data;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.blip4j.util.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parallel, deterministic batch loader: decodes and transforms samples on worker threads and delivers batches
 * in a fixed order.
 *
 * <ul>
 *   <li><b>Deterministic.</b> The epoch's order depends only on (seed, epoch); each sample's augmentation
 *       generator only on (seed, epoch, position in that order). Batches are bit-identical for any worker count
 *       and any run.</li>
 *   <li><b>Bounded.</b> At most {@code prefetchBatches * batchSize} samples are submitted and not yet handed
 *       out, so memory stays bounded however slow the consumer is.</li>
 *   <li><b>Bad images are skipped, not fatal.</b> A missing or undecodable image is counted in the
 *       {@link EpochReport} and the batch is filled from the following samples, so batches keep their size;
 *       drop_last applies to the final short batch. Transform errors are fatal ({@link DataLoaderException}).</li>
 *   <li><b>Resumable.</b> {@link #resume(ResumePoint)} continues after any delivered batch exactly as the
 *       uninterrupted run would, without decoding earlier images (see {@link ResumePoint}).</li>
 * </ul>
 *
 * <p>Use: {@code try (DataLoader dl = DataLoader.builder(samples, t).batchSize(32).build()) { for (Batch b :
 * dl.epoch(e)) ... }}. One epoch is active at a time: starting another closes the previous one. Closing the loader
 * stops its worker threads.
 */
public final class DataLoader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataLoader.class);
    private static final AtomicInteger LOADERS = new AtomicInteger();

    final List<Sample> samples;
    final SampleTransform transform;
    final int batchSize;
    final long seed;
    final boolean shuffle;
    final boolean dropLast;
    final int prefetchSamples;
    final int maxSkipExamples;
    final Consumer<EpochReport> onEpochEnd;
    private final ExecutorService pool;
    private Epoch active;
    private boolean closed;

    private DataLoader(Builder b) {
        this.samples = List.copyOf(b.samples);
        this.transform = b.transform;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.prefetchSamples = Math.multiplyExact(b.prefetchBatches, b.batchSize);
        this.maxSkipExamples = b.maxSkipExamples;
        this.onEpochEnd = b.onEpochEnd;
        this.pool = new ThreadPoolExecutor(b.workers, b.workers, 0L, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), workerThreads());
    }

    public static Builder builder(List<Sample> samples, SampleTransform transform) {
        return new Builder(samples, transform);
    }

    /** Iterates {@code epoch} from its first batch. */
    public synchronized Epoch epoch(int epoch) {
        return resume(ResumePoint.startOf(epoch));
    }

    /** Iterates from a point taken from {@link Batch#next()} (or {@link #locate}). */
    public synchronized Epoch resume(ResumePoint from) {
        if (closed) {
            throw new IllegalStateException("data loader is closed");
        }
        if (from.position() > samples.size()) {
            throw new IllegalArgumentException("resume position " + from.position() + " is past the epoch's "
                    + samples.size() + " samples");
        }
        if (active != null) {
            active.close();
        }
        active = new Epoch(this, pool, from, new SampleTask(transform, seed, false), LOG);
        return active;
    }

    /**
     * Recomputes where batch {@code batchIndex} of {@code epoch} starts when no {@link ResumePoint} was stored:
     * decodes (without augmenting) the images before it to learn which are skipped.
     *
     * @throws IllegalArgumentException if the epoch has fewer batches
     */
    public synchronized ResumePoint locate(int epoch, int batchIndex) {
        if (batchIndex == 0) {
            return ResumePoint.startOf(epoch);
        }
        if (closed) {
            throw new IllegalStateException("data loader is closed");
        }
        ResumePoint point = null;
        try (Epoch probe = new Epoch(this, pool, ResumePoint.startOf(epoch), new SampleTask(transform, seed, true),
                null)) {
            while (probe.hasNext()) {
                Batch b = probe.next();
                if (b.index() == batchIndex - 1) {
                    point = b.next();
                    break;
                }
            }
        }
        if (point == null) {
            throw new IllegalArgumentException("epoch " + epoch + " has fewer than " + batchIndex + " batches");
        }
        return point;
    }

    public int size() {
        return samples.size();
    }

    public int batchSize() {
        return batchSize;
    }

    /** Batches per epoch if no image is skipped (an upper bound otherwise), e.g. for LR schedules. */
    public int nominalBatches() {
        int n = samples.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Stops the active epoch and the worker threads; waits briefly for running decodes to notice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (active != null) {
            active.close();
        }
        for (Runnable queued : pool.shutdownNow()) {
            // Never-started tasks are dropped by shutdownNow; cancel them so a consumer waiting on one wakes up.
            if (queued instanceof Future<?> f) {
                f.cancel(false);
            }
        }
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("data loader workers still running 10 s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A forgotten close() must not keep the JVM alive: the workers are daemons. */
    private static ThreadFactory workerThreads() {
        return DaemonThreads.named("blip4j-data-" + LOADERS.incrementAndGet() + "-worker");
    }

    /** Loader settings; {@link #batchSize} is required, the rest default as noted. */
    public static final class Builder {
        private final List<Sample> samples;
        private final SampleTransform transform;
        private int batchSize;
        private long seed;
        private boolean shuffle;
        private boolean dropLast;
        private int workers = 1;
        private int prefetchBatches = 2;
        private int maxSkipExamples = 10;
        private Consumer<EpochReport> onEpochEnd = r -> { };

        private Builder(List<Sample> samples, SampleTransform transform) {
            this.samples = Objects.requireNonNull(samples, "samples");
            this.transform = Objects.requireNonNull(transform, "transform");
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = positive("batchSize", batchSize);
            return this;
        }

        /** Base seed (BLIP: 42 + rank). Default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Shuffle each epoch (by seed and epoch). Default false, as in PyTorch. */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Discard a final short batch (BLIP training loaders do). Default false, as in PyTorch. */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** Decoding threads. Default 1. */
        public Builder workers(int workers) {
            this.workers = positive("workers", workers);
            return this;
        }

        /** Batches' worth of samples that may be in flight ahead of the consumer. Default 2. */
        public Builder prefetchBatches(int prefetchBatches) {
            this.prefetchBatches = positive("prefetchBatches", prefetchBatches);
            return this;
        }

        /** How many skipped images an epoch report names (and logs as warnings). Default 10. */
        public Builder maxSkipExamples(int max) {
            if (max < 0) {
                throw new IllegalArgumentException("maxSkipExamples must be >= 0, got " + max);
            }
            this.maxSkipExamples = max;
            return this;
        }

        /** Called on the consumer thread when an epoch runs to its end (after the log line). */
        public Builder onEpochEnd(Consumer<EpochReport> listener) {
            this.onEpochEnd = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public DataLoader build() {
            if (batchSize == 0) {
                throw new IllegalStateException("batchSize must be set");
            }
            return new DataLoader(this);
        }

        private static int positive(String what, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(what + " must be positive, got " + v);
            }
            return v;
        }
    }
}
