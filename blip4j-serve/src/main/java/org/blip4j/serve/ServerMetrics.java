package org.blip4j.serve;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.IntSupplier;

/**
 * Counters and histograms in Prometheus text format (version 0.0.4): requests and errors by endpoint and status,
 * request latency, batch sizes by model worker, queue depth and requests in flight.
 */
final class ServerMetrics {
    static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
    static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    /** A cumulative histogram with fixed upper bounds. */
    static final class Histogram {
        final double[] bounds;
        final AtomicLongArray counts;
        final DoubleAdder sum = new DoubleAdder();
        final AtomicLong count = new AtomicLong();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new AtomicLongArray(bounds.length);
        }

        void observe(double v) {
            for (int i = 0; i < bounds.length; i++) {
                if (v <= bounds[i]) {
                    counts.incrementAndGet(i);
                }
            }
            sum.add(v);
            count.incrementAndGet();
        }

        void write(StringBuilder sb, String name, String labels) {
            String sep = labels.isEmpty() ? "" : labels + ",";
            for (int i = 0; i < bounds.length; i++) {
                sb.append(name).append("_bucket{").append(sep).append("le=\"").append(num(bounds[i])).append("\"} ")
                        .append(counts.get(i)).append('\n');
            }
            sb.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(count.get()).append('\n');
            String l = labels.isEmpty() ? "" : "{" + labels + "}";
            sb.append(name).append("_sum").append(l).append(' ').append(num(sum.sum())).append('\n');
            sb.append(name).append("_count").append(l).append(' ').append(count.get()).append('\n');
        }
    }

    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>(); // "endpoint\tstatus"
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<String, Histogram> batchSizes = new ConcurrentHashMap<>();
    private final Map<String, IntSupplier> queueDepths = new ConcurrentHashMap<>();
    private volatile IntSupplier inFlight = () -> 0;

    void request(String endpoint, int status, double seconds) {
        requests.computeIfAbsent(endpoint + "\t" + status, k -> new AtomicLong()).incrementAndGet();
        latency.computeIfAbsent(endpoint, k -> new Histogram(LATENCY_BUCKETS)).observe(seconds);
    }

    void batch(String worker, int size) {
        batchSizes.computeIfAbsent(worker, k -> new Histogram(BATCH_BUCKETS)).observe(size);
    }

    void queueDepth(String worker, IntSupplier depth) {
        queueDepths.put(worker, depth);
    }

    void inFlight(IntSupplier s) {
        inFlight = s;
    }

    String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP blip_requests_total HTTP requests by endpoint and status.\n");
        sb.append("# TYPE blip_requests_total counter\n");
        Map<String, AtomicLong> sorted = new TreeMap<>(requests);
        sorted.forEach((k, v) -> {
            String[] p = k.split("\t");
            sb.append("blip_requests_total{endpoint=\"").append(p[0]).append("\",status=\"").append(p[1])
                    .append("\"} ").append(v.get()).append('\n');
        });
        sb.append("# HELP blip_errors_total HTTP requests answered with status >= 400, by endpoint.\n");
        sb.append("# TYPE blip_errors_total counter\n");
        Map<String, Long> errors = new TreeMap<>();
        sorted.forEach((k, v) -> {
            String[] p = k.split("\t");
            if (Integer.parseInt(p[1]) >= 400) {
                errors.merge(p[0], v.get(), Long::sum);
            }
        });
        errors.forEach((e, n) -> sb.append("blip_errors_total{endpoint=\"").append(e).append("\"} ").append(n)
                .append('\n'));
        sb.append("# HELP blip_request_duration_seconds Request latency, from arrival to the answer.\n");
        sb.append("# TYPE blip_request_duration_seconds histogram\n");
        new TreeMap<>(latency).forEach((e, h) -> h.write(sb, "blip_request_duration_seconds",
                "endpoint=\"" + e + "\""));
        sb.append("# HELP blip_batch_size Requests decoded together per batched model call.\n");
        sb.append("# TYPE blip_batch_size histogram\n");
        new TreeMap<>(batchSizes).forEach((w, h) -> h.write(sb, "blip_batch_size", "worker=\"" + w + "\""));
        sb.append("# HELP blip_queue_depth Requests waiting for a model worker.\n");
        sb.append("# TYPE blip_queue_depth gauge\n");
        new TreeMap<>(queueDepths).forEach((w, d) -> sb.append("blip_queue_depth{worker=\"").append(w).append("\"} ")
                .append(d.getAsInt()).append('\n'));
        sb.append("# HELP blip_requests_in_flight Admitted requests not yet answered.\n");
        sb.append("# TYPE blip_requests_in_flight gauge\n");
        sb.append("blip_requests_in_flight ").append(inFlight.getAsInt()).append('\n');
        return sb.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
