package org.blip4j.serve;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/**
 * Dynamic batching on one worker thread per model: requests that arrive together and share a batch key (same
 * task and options) run as one batched call of up to {@code maxBatch} inputs; the first request waits at most
 * {@code maxWaitMillis} for company. Requests with another key wait for the next batch in arrival order. The
 * batched call must answer each input as it would alone (the task APIs decode rows independently).
 *
 * <p>If a batched call fails, its inputs are retried one by one so a single bad input fails only its own request.
 */
final class DynamicBatcher implements AutoCloseable {
    /** One batched call: answers.get(i) belongs to inputs.get(i). */
    interface BatchFunction<I, O> {
        List<O> apply(List<I> inputs) throws Exception;
    }

    private record Job<I, O>(Object key, BatchFunction<I, O> function, I input, CompletableFuture<O> result) {
    }

    private final String name;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final IntConsumer batchSizes;
    private final LinkedBlockingQueue<Job<?, ?>> queue = new LinkedBlockingQueue<>();
    private final ArrayDeque<Job<?, ?>> deferred = new ArrayDeque<>(); // worker thread only
    private final Thread worker;
    private volatile boolean running = true;

    DynamicBatcher(String name, int maxBatch, int maxWaitMillis, IntConsumer batchSizes) {
        this.name = name;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        this.batchSizes = batchSizes;
        this.worker = new Thread(this::loop, "blip-batcher-" + name);
        worker.setDaemon(true);
        worker.start();
    }

    String name() {
        return name;
    }

    /**
     * Queues one input; {@code key} decides which inputs may share a batch (it must determine {@code function} and
     * every option the function uses).
     */
    <I, O> CompletableFuture<O> submit(Object key, BatchFunction<I, O> function, I input) {
        CompletableFuture<O> f = new CompletableFuture<>();
        if (!running) {
            f.completeExceptionally(new ApiException(503, "server is shutting down"));
            return f;
        }
        queue.add(new Job<>(Objects.requireNonNull(key), function, input, f));
        return f;
    }

    /** Requests waiting for a batch (not counting the one running). */
    int depth() {
        return queue.size() + deferred.size();
    }

    private void loop() {
        while (running) {
            try {
                runOne(nextBatch());
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) { // never let the worker die: it would stall every later request
                System.err.println("blip serve: batch worker " + name + ": " + t);
            }
        }
    }

    private List<Job<?, ?>> nextBatch() throws InterruptedException {
        Job<?, ?> first = deferred.isEmpty() ? queue.take() : deferred.removeFirst();
        List<Job<?, ?>> batch = new ArrayList<>();
        batch.add(first);
        for (Iterator<Job<?, ?>> it = deferred.iterator(); it.hasNext() && batch.size() < maxBatch; ) {
            Job<?, ?> j = it.next();
            if (j.key().equals(first.key())) {
                batch.add(j);
                it.remove();
            }
        }
        long deadline = System.nanoTime() + maxWaitNanos;
        while (batch.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            Job<?, ?> j = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (j == null) {
                break;
            }
            if (j.key().equals(first.key())) {
                batch.add(j);
            } else {
                deferred.addLast(j);
            }
        }
        return batch;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void runOne(List<Job<?, ?>> batch) {
        batchSizes.accept(batch.size());
        BatchFunction fn = batch.get(0).function();
        List<Object> inputs = new ArrayList<>();
        for (Job<?, ?> j : batch) {
            inputs.add(j.input());
        }
        try {
            List<?> out = fn.apply(inputs);
            if (out.size() != batch.size()) {
                throw new IllegalStateException(name + ": " + out.size() + " answers for " + batch.size() + " inputs");
            }
            for (int i = 0; i < batch.size(); i++) {
                ((CompletableFuture) batch.get(i).result()).complete(out.get(i));
            }
        } catch (Throwable t) {
            if (batch.size() == 1) {
                batch.get(0).result().completeExceptionally(t);
                return;
            }
            for (Job<?, ?> j : batch) { // isolate the bad input: each alone, so only its own request fails
                runOne(List.of(j));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
        List<Job<?, ?>> left = new ArrayList<>(deferred);
        queue.drainTo(left);
        for (Job<?, ?> j : left) {
            j.result().completeExceptionally(new ApiException(503, "server is shutting down"));
        }
    }
}
