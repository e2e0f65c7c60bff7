package org.blip4j.capfilt;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.blip4j.util.AtomicFiles;
import org.blip4j.util.DaemonThreads;
import org.blip4j.util.RunDirectoryLock;
import org.blip4j.util.WorkerFailures;

/**
 * A whole CapFilt run over files: the web records are cut into parts of {@code shardSize} records, each part is
 * processed by {@link CapfiltStep} and written atomically to {@code OUT/parts}, then the bootstrapped dataset and
 * the report are assembled by streaming the parts. Memory stays that of one part per worker whatever the input
 * size. Parts may run on several workers at once (small models gain more from that than from intra-op threads).
 *
 * <p>Restartable: a part file that exists is complete, so a rerun with the same arguments (checked against
 * {@code OUT/capfilt.json}) recomputes only the missing parts; since every record's seed derives from the run seed
 * and its source index, the result equals an uninterrupted run.
 */
public final class CapfiltPipeline {
    public static final String REPORT = "report.md";
    public static final String HISTOGRAM = "itm_histogram.png";
    static final String PROGRESS = "progress.json";

    /** Opens the models when the first part needs them (a finished run reassembles without loading any). */
    @FunctionalInterface
    public interface ModelSource {
        CapfiltModels open() throws IOException;
    }

    /**
     * Computes the parts of input shards somewhere else (a Spark cluster): each shard's part is written by whoever
     * computes it, with {@link ShardParts#compute}; returns when all are written (or throws).
     */
    @FunctionalInterface
    public interface ShardRunner {
        void computeParts(List<Path> shards) throws IOException;
    }

    /** Progress events (all default to nothing). */
    public interface Listener {
        /** Shard input: the run has {@code shards} shards, {@code done} of them finished by earlier runs. */
        default void shardsStarted(int shards, int done) {
        }

        /** Shard input: a shard's part is on disk ({@code records} samples read from it). */
        default void shardWritten(String shard, int records) throws IOException {
        }

        /** @param doneRecords records of parts completed by earlier runs */
        default void started(int totalRecords, int doneRecords) {
        }

        default void recordsProcessed(int n) {
        }

        default void skipped(CapfiltStep.Skipped s) {
        }

        /** After part {@code part} is on disk (tests throw here to simulate a kill). */
        default void partWritten(int part) throws IOException {
        }

        default void assembling() {
        }
    }

    private final CapfiltConfig config;
    private final CapfiltOptions options;
    private final int workers;

    /** One part at a time, on the calling thread's engine settings. */
    public CapfiltPipeline(CapfiltConfig config, CapfiltOptions options) {
        this(config, options, 1);
    }

    /**
     * @param workers parts computed at once, each on its own thread sharing the models (read-only). More workers
     *     change no record: a part's records depend only on the part. Memory grows to {@code workers} parts.
     */
    public CapfiltPipeline(CapfiltConfig config, CapfiltOptions options, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        this.config = config;
        this.options = options;
        this.workers = workers;
    }

    public CapfiltReport run(ModelSource models, Listener listener) throws IOException {
        return run(models, listener, null);
    }

    /**
     * @param remote computes missing shard parts elsewhere (shard input only); null computes them here on
     *     {@code workers} threads. Either way this JVM assembles the outputs from the parts.
     */
    public CapfiltReport run(ModelSource models, Listener listener, ShardRunner remote) throws IOException {
        checkInputs();
        if (remote != null && !config.shardInput()) {
            throw new IllegalArgumentException(
                    "a distributed run needs webdataset shard input (--data 'DIR/{00000..N}.tar')");
        }
        try (RunDirectoryLock lock = RunDirectoryLock.acquire(config.out())) {
            RunArguments.of(config, options).recordOrVerify(config.out());
            return config.shardInput() ? runShards(models, listener, remote) : runLocked(models, listener);
        }
    }

    /** One part per input shard, named after it; the parts are assembled in the order the shards were given. */
    private CapfiltReport runShards(ModelSource models, Listener listener, ShardRunner remote) throws IOException {
        PartStore parts = new PartStore(config.out());
        parts.discardPartialFiles();
        List<Path> missing = new ArrayList<>();
        for (Path shard : config.webShards()) {
            if (!parts.done(CapfiltConfig.partName(shard))) {
                missing.add(shard);
            }
        }
        listener.shardsStarted(config.webShards().size(), config.webShards().size() - missing.size());
        if (!missing.isEmpty()) {
            if (remote != null) {
                remote.computeParts(missing);
            } else {
                computeShardsHere(missing, models, listener);
            }
        }
        for (Path shard : config.webShards()) {
            if (!parts.done(CapfiltConfig.partName(shard))) {
                throw new IOException(parts.path(CapfiltConfig.partName(shard)) + ": part of " + shard
                        + " missing after the job; rerun the same command to compute it");
            }
        }
        return assembleAndReport(parts, null, a -> a.assembleShards(config.webShards()), listener);
    }

    private void computeShardsHere(List<Path> shards, ModelSource models, Listener listener) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(workers, DaemonThreads.named("blip4j-capfilt"));
        Semaphore slots = new Semaphore(workers);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        try {
            CapfiltModels m = models.open();
            for (Path shard : shards) {
                acquire(slots);
                if (failure.get() != null) {
                    break;
                }
                pool.execute(() -> {
                    try {
                        int n = ShardParts.compute(shard, config.out(), m, options, k -> {
                            synchronized (listener) {
                                listener.recordsProcessed(k);
                            }
                        });
                        synchronized (listener) {
                            listener.shardWritten(shard.getFileName().toString(), n);
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        slots.release();
                    }
                });
            }
        } finally {
            pool.shutdown();
            awaitTermination(pool);
        }
        WorkerFailures.rethrow(failure.get());
    }

    @FunctionalInterface
    private interface Assembly {
        void run(BootstrapAssembler a) throws IOException;
    }

    private CapfiltReport assembleAndReport(PartStore parts, NoiseLabels labels, Assembly assembly,
            Listener listener) throws IOException {
        listener.assembling();
        CapfiltStats stats = new CapfiltStats(labels);
        assembly.run(new BootstrapAssembler(parts, config, stats));
        CapfiltReport report = stats.report();
        ItmHistogramChart.write(report, options.threshold(), config.out().resolve(HISTOGRAM));
        ReportWriter.write(report, options, config.out().resolve(REPORT), HISTOGRAM);
        return report;
    }

    private CapfiltReport runLocked(ModelSource models, Listener listener) throws IOException {
        NoiseLabels labels = config.noiseLabels() == null ? null : NoiseLabels.read(config.noiseLabels());
        int total = WebRecordReader.count(config.data());
        int partCount = (total + config.shardSize() - 1) / config.shardSize();
        PartStore parts = new PartStore(config.out());
        parts.discardPartialFiles();
        Progress progress = new Progress(partCount, total, listener);
        for (int p = 0; p < partCount; p++) {
            if (parts.done(p)) {
                progress.alreadyDone(partSize(p, total));
            }
        }
        listener.started(total, progress.doneRecords);
        computeMissingParts(parts, partCount, total, models, progress);
        return assembleAndReport(parts, labels, a -> a.assemble(partCount, total), listener);
    }

    private void checkInputs() throws IOException {
        if (config.shardInput()) {
            for (Path shard : config.webShards()) {
                if (!Files.isRegularFile(shard)) {
                    throw new IOException(shard + ": web shard not found");
                }
            }
            if (config.noiseLabels() != null) {
                throw new IllegalArgumentException("noise labels are indexed by JSON record; not usable with shards");
            }
        } else if (!Files.isRegularFile(config.data())) {
            throw new IOException(config.data() + ": web data file not found");
        }
        if (config.images() != null && !Files.isDirectory(config.images())) {
            throw new IOException(config.images() + ": image root is not a directory");
        }
        if (config.human() != null && !Files.isRegularFile(config.human())) {
            throw new IOException(config.human() + ": human data file not found");
        }
        if (config.noiseLabels() != null && !Files.isRegularFile(config.noiseLabels())) {
            throw new IOException(config.noiseLabels() + ": noise label file not found");
        }
    }

    /** Records in part {@code p} (the last part may be short). */
    private int partSize(int p, int total) {
        return Math.min(config.shardSize(), total - p * config.shardSize());
    }

    /**
     * Reads the missing parts in order and hands each to a worker; at most {@code workers} parts are in memory.
     * The first failure stops new parts; parts already running finish and stay on disk for the resume.
     */
    private void computeMissingParts(PartStore parts, int partCount, int total, ModelSource models,
            Progress progress) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(workers, DaemonThreads.named("blip4j-capfilt"));
        Semaphore slots = new Semaphore(workers);
        // set before the failing part frees its slot, so the loop sees it before it reads another part
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CapfiltModels opened = null;
        try (WebRecordReader reader = WebRecordReader.open(config.data(), config.images())) {
            for (int p = 0; p < partCount; p++) {
                int size = partSize(p, total);
                if (parts.done(p)) {
                    reader.skip(size);
                    continue;
                }
                acquire(slots);
                if (failure.get() != null) {
                    break;
                }
                List<WebRecord> chunk = reader.next(size);
                if (opened == null) {
                    opened = models.open();
                }
                int part = p;
                CapfiltModels m = opened;
                pool.execute(() -> {
                    try {
                        CapfiltStep.Result result = CapfiltStep.process(chunk, m, options, progress::records);
                        parts.write(part, result);
                        progress.partWritten(part, size, result.skipped());
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        slots.release();
                    }
                });
            }
        } finally {
            // also when reading or opening failed: no part may still be writing once the lock is released
            pool.shutdown();
            awaitTermination(pool);
        }
        WorkerFailures.rethrow(failure.get());
    }

    private static void awaitTermination(ExecutorService pool) throws InterruptedIOException {
        try {
            while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                // a part of a large model can take minutes; the bound is the number of workers
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for CapFilt parts");
        }
    }

    private static void acquire(Semaphore slots) throws InterruptedIOException {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a CapFilt worker");
        }
    }

    /**
     * Counts finished parts and passes worker events to the listener one at a time (listeners need not be
     * thread-safe); keeps {@code OUT/progress.json}, which is informational: the part files are the truth.
     */
    private final class Progress {
        private final int partCount;
        private final int total;
        private final Listener listener;
        private int doneParts;
        private int doneRecords;

        Progress(int partCount, int total, Listener listener) {
            this.partCount = partCount;
            this.total = total;
            this.listener = listener;
        }

        void alreadyDone(int size) {
            doneParts++;
            doneRecords += size;
        }

        synchronized void records(int n) {
            listener.recordsProcessed(n);
        }

        synchronized void partWritten(int part, int size, List<CapfiltStep.Skipped> skipped) throws IOException {
            skipped.forEach(listener::skipped);
            alreadyDone(size);
            String json = "{\"records\": " + total + ", \"shard_size\": " + config.shardSize() + ", \"parts\": "
                    + partCount + ", \"parts_done\": " + doneParts + ", \"records_done\": " + doneRecords
                    + ", \"last_part\": " + part + "}\n";
            AtomicFiles.writeString(config.out().resolve(PROGRESS), json);
            listener.partWritten(part);
        }
    }
}
