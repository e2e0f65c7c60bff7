package org.blip4j.data;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;

/**
 * One pass over an epoch, from a {@link ResumePoint} to the end. Single-use and single-consumer: iterate it once
 * (for-each or {@link #next()}), then read {@link #report()}. Closing it early cancels the samples in flight.
 *
 * <p>Work is submitted from the consumer's thread in position order, keeping at most the loader's prefetch bound
 * of samples submitted but not consumed; results are consumed in the same order, which is what makes output
 * independent of worker timing.
 *
 * <p>A resumed epoch (from a {@link ResumePoint}) must use the same samples, seed, shuffle flag and batch size
 * as the run that produced the point; the worker count and prefetch bound may differ.
 */
public final class Epoch implements Iterable<Batch>, Iterator<Batch>, AutoCloseable {
    private final DataLoader loader;
    private final ExecutorService pool;
    private final SampleTask task;
    private final Logger log; // null: a silent probe (DataLoader#locate)
    private final int epoch;
    private final int startPosition;
    private final int firstBatch;
    private final int[] order;
    /** Concurrent only so that {@link DataLoader#close()} may cancel from another thread. */
    private final ConcurrentLinkedDeque<Future<SampleResult>> inFlight = new ConcurrentLinkedDeque<>();
    private int nextSubmit;
    private int nextConsume;
    private int batchIndex;
    private Batch pending;
    private boolean finished;
    private volatile boolean closed;
    private boolean iterated;

    private int seen;
    private int delivered;
    private int droppedAtEnd;
    private final Map<SkipReason, Integer> skipped = new EnumMap<>(SkipReason.class);
    private final List<String> skipExamples = new ArrayList<>();

    Epoch(DataLoader loader, ExecutorService pool, ResumePoint from, SampleTask task, Logger log) {
        this.loader = loader;
        this.pool = pool;
        this.task = task;
        this.log = log;
        this.epoch = from.epoch();
        this.startPosition = from.position();
        this.batchIndex = from.batchIndex();
        this.firstBatch = from.batchIndex();
        this.nextSubmit = from.position();
        this.nextConsume = from.position();
        this.order = SampleOrder.order(loader.samples.size(), loader.seed, epoch, loader.shuffle);
        for (SkipReason r : SkipReason.values()) {
            skipped.put(r, 0);
        }
    }

    public int epoch() {
        return epoch;
    }

    @Override
    public Iterator<Batch> iterator() {
        if (iterated) {
            throw new IllegalStateException("an Epoch can be iterated once; call DataLoader.epoch again");
        }
        iterated = true;
        return this;
    }

    @Override
    public boolean hasNext() {
        if (pending == null && !finished && !closed) {
            try {
                pending = assemble();
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            }
        }
        return pending != null;
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("epoch " + epoch + " has no more batches");
        }
        Batch b = pending;
        pending = null;
        return b;
    }

    /** Counts so far; final once {@link #hasNext()} has returned false. */
    public EpochReport report() {
        return new EpochReport(epoch, startPosition, seen, delivered, batchIndex - firstBatch, droppedAtEnd,
                skipped, skipExamples, finished);
    }

    /** Cancels samples in flight; the epoch then ends. Idempotent. */
    @Override
    public void close() {
        closed = true;
        pending = null;
        Future<SampleResult> f;
        while ((f = inFlight.poll()) != null) {
            f.cancel(true);
        }
    }

    /** Takes results in order until a batch is full or the epoch ends; null at the end. */
    private Batch assemble() {
        int size = loader.batchSize;
        List<SampleResult> got = new ArrayList<>(size);
        while (got.size() < size) {
            refill();
            Future<SampleResult> head = inFlight.poll();
            if (head == null) {
                break; // every position consumed
            }
            SampleResult r = await(head);
            nextConsume++;
            seen++;
            if (r.isSkipped()) {
                recordSkip(r);
            } else {
                got.add(r);
            }
        }
        if (got.size() < size && (got.isEmpty() || loader.dropLast)) {
            droppedAtEnd += got.size();
            finish();
            return null;
        }
        delivered += got.size();
        return toBatch(got);
    }

    /** Keeps the prefetch window full: submission is the only place work is created, so the bound holds. */
    private void refill() {
        while (inFlight.size() < loader.prefetchSamples && nextSubmit < order.length) {
            int position = nextSubmit++;
            Sample sample = loader.samples.get(order[position]);
            try {
                inFlight.add(pool.submit(() -> task.run(sample, epoch, position)));
            } catch (RejectedExecutionException e) {
                throw new IllegalStateException("data loader is closed", e);
            }
        }
    }

    private SampleResult await(Future<SampleResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DataLoaderException("interrupted while waiting for epoch " + epoch + " samples", e);
        } catch (CancellationException e) {
            throw new IllegalStateException("data loader is closed", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DataLoaderException) {
                throw (DataLoaderException) cause;
            }
            throw new DataLoaderException("loader worker failed: " + cause, cause);
        }
    }

    private void recordSkip(SampleResult r) {
        skipped.merge(r.skip(), 1, Integer::sum);
        boolean example = skipExamples.size() < loader.maxSkipExamples;
        if (example) {
            skipExamples.add(r.skip() + " " + r.skipMessage());
        }
        if (log != null) {
            if (example) {
                log.warn("skipping sample {} ({}): {}", r.sample().key(), r.skip(), r.skipMessage());
            } else {
                log.debug("skipping sample {} ({}): {}", r.sample().key(), r.skip(), r.skipMessage());
            }
        }
    }

    private Batch toBatch(List<SampleResult> got) {
        int n = got.size();
        int len = got.get(0).pixels().length;
        float[] pixels = new float[Math.multiplyExact(n, len)];
        List<String> captions = new ArrayList<>(n);
        List<String> keys = new ArrayList<>(n);
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            SampleResult r = got.get(i);
            if (r.pixels().length != len) {
                throw new DataLoaderException("sample " + r.sample().key() + " produced " + r.pixels().length
                        + " floats but " + got.get(0).sample().key() + " produced " + len
                        + "; the transform must give every sample the same size");
            }
            System.arraycopy(r.pixels(), 0, pixels, i * len, len);
            captions.add(r.caption());
            keys.add(r.sample().key());
            ids[i] = r.sample().imageId();
        }
        int index = batchIndex++;
        return new Batch(epoch, index, pixels, captions, ids, keys, new ResumePoint(epoch, batchIndex, nextConsume));
    }

    private void finish() {
        finished = true;
        close();
        if (log != null) {
            EpochReport report = report();
            log.info(report.summary());
            loader.onEpochEnd.accept(report);
        }
    }
}
