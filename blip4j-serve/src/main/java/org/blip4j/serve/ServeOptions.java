package org.blip4j.serve;

/**
 * How the server runs. Limits bound memory and work: {@code queue} requests in flight (queued or running) before
 * 503, {@code maxInFlightImageBytes} of decoded images held at once, {@code maxUploadBytes} per upload (413).
 *
 * @param host interface to bind (loopback unless told otherwise)
 * @param port 0 picks a free port
 * @param batchSize most requests decoded together
 * @param batchWaitMillis how long a batch waits for more requests once the first has arrived
 * @param queue requests admitted at once (queued + running); more get 503 with Retry-After
 * @param maxUploadBytes largest accepted upload (413 above)
 * @param maxPixels largest decoded image (width * height); bigger images are refused before decoding
 * @param maxInFlightImageBytes decoded image bytes held by admitted requests; more get 503
 * @param httpThreads Jetty worker threads (parse and decode; inference runs on one worker per model); 0 picks
 *     max(32, 4 per core), enough for Jetty's acceptors and selectors on any machine
 */
public record ServeOptions(String host, int port, int batchSize, int batchWaitMillis, int queue, long maxUploadBytes,
        long maxPixels, long maxInFlightImageBytes, int httpThreads) {
    public static final int DEFAULT_QUEUE = 256;

    public ServeOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in 0..65535, got " + port);
        }
        if (batchSize < 1 || batchSize > 1024) {
            throw new IllegalArgumentException("--batch-size must be in 1..1024, got " + batchSize);
        }
        if (batchWaitMillis < 0 || batchWaitMillis > 1000) {
            throw new IllegalArgumentException("--batch-wait-ms must be in 0..1000, got " + batchWaitMillis);
        }
        if (queue < 1) {
            throw new IllegalArgumentException("--queue must be ≥ 1, got " + queue);
        }
        if (maxUploadBytes < 1024) {
            throw new IllegalArgumentException("--max-upload-mb is too small: " + maxUploadBytes + " bytes");
        }
        if (maxPixels < 1 || maxInFlightImageBytes < 1) {
            throw new IllegalArgumentException("pixel and memory limits must be positive");
        }
        if (httpThreads == 0) {
            httpThreads = Math.max(32, 4 * Runtime.getRuntime().availableProcessors());
        }
        if (httpThreads < 8) {
            throw new IllegalArgumentException("--http-threads must be 0 (auto) or ≥ 8, got " + httpThreads);
        }
    }

    public static ServeOptions defaults() {
        return new ServeOptions("127.0.0.1", 8080, 8, 5, DEFAULT_QUEUE, 20L << 20, 50_000_000L, 2L << 30, 0);
    }

    public ServeOptions withPort(int p) {
        return new ServeOptions(host, p, batchSize, batchWaitMillis, queue, maxUploadBytes, maxPixels,
                maxInFlightImageBytes, httpThreads);
    }

    public ServeOptions withBatchSize(int b) {
        return new ServeOptions(host, port, b, batchWaitMillis, queue, maxUploadBytes, maxPixels,
                maxInFlightImageBytes, httpThreads);
    }

    public ServeOptions withQueue(int q) {
        return new ServeOptions(host, port, batchSize, batchWaitMillis, q, maxUploadBytes, maxPixels,
                maxInFlightImageBytes, httpThreads);
    }

    public ServeOptions withMaxUploadBytes(long b) {
        return new ServeOptions(host, port, batchSize, batchWaitMillis, queue, b, maxPixels, maxInFlightImageBytes,
                httpThreads);
    }
}
