package org.blip4j.serve;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the work the server holds: at most {@code maxRequests} requests in flight (queued or running) and at
 * most {@code maxImageBytes} of decoded images. A request past either bound is refused with 503 + Retry-After
 * instead of waiting, so memory stays bounded under any load.
 */
final class Admission {
    private final int maxRequests;
    private final long maxImageBytes;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong imageBytes = new AtomicLong();

    Admission(int maxRequests, long maxImageBytes) {
        this.maxRequests = maxRequests;
        this.maxImageBytes = maxImageBytes;
    }

    /** A slot for one request; close it when the answer is written. */
    Ticket enter() {
        if (requests.incrementAndGet() > maxRequests) {
            requests.decrementAndGet();
            throw new ApiException(503, "server busy: " + maxRequests + " requests in flight; retry later", 1);
        }
        return new Ticket();
    }

    int inFlight() {
        return requests.get();
    }

    long imageBytes() {
        return imageBytes.get();
    }

    /** One admitted request and the decoded image bytes it holds. */
    final class Ticket implements AutoCloseable {
        private long bytes;
        private boolean closed;

        /** Accounts for a decoded image; refuses (503) when the server already holds too many image bytes. */
        void holdImageBytes(long n) {
            if (imageBytes.addAndGet(n) > maxImageBytes) {
                imageBytes.addAndGet(-n);
                throw new ApiException(503, "server busy: too many decoded images held; retry later", 1);
            }
            bytes += n;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                imageBytes.addAndGet(-bytes);
                requests.decrementAndGet();
            }
        }
    }
}
