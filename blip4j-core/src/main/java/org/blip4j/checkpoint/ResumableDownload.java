package org.blip4j.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.blip4j.util.AtomicFiles;

/**
 * Downloads one URL into {@code <blob>.incomplete}, resuming with an HTTP Range request from whatever an earlier
 * (interrupted) attempt left there, then renames it to the blob. A 64-hex etag is the file's SHA-256 (LFS files):
 * it is verified before the rename, so a bad resume or a lying server never becomes a blob.
 *
 * <p>The server is not trusted: redirects are followed by hand, at most {@value #MAX_REDIRECTS} of them and only
 * to http/https; a body longer than the announced size (or than its own Content-Length) is refused as soon as it
 * passes that size, so a server cannot fill the disk; a 206 answer must continue exactly where the partial file
 * ends. Refusals are {@link RefusedDownloadException}s and delete the partial file (nothing to resume from).
 */
final class ResumableDownload {
    static final int MAX_REDIRECTS = 5;
    private static final int ATTEMPTS = 4;
    /** Bound for a download whose size nobody announced (neither the caller nor a Content-Length). */
    static final long MAX_UNANNOUNCED_BYTES = 64L << 30;

    private final HttpClient client;
    private final PrintStream progressOut;
    private final long progressThreshold;

    /** A download the server's answers made unsafe to keep: not retried, partial file deleted. */
    static final class RefusedDownloadException extends IOException {
        RefusedDownloadException(String message) {
            super(message);
        }
    }

    /** {@code client} should not follow redirects itself ({@link HttpClient.Redirect#NEVER}); this class does. */
    ResumableDownload(HttpClient client, PrintStream progressOut, long progressThreshold) {
        this.client = client;
        this.progressOut = progressOut;
        this.progressThreshold = progressThreshold;
    }

    void download(URI uri, Path incomplete, Path blob, long expectedSize, String etag, String label)
            throws IOException {
        download(uri, incomplete, blob, expectedSize, "announced size", etag, "expected SHA-256", label);
    }

    /**
     * As {@link #download(URI, Path, Path, long, String, String)}; {@code sizeSource} and {@code etagSource} name
     * where the expected size and hash came from (e.g. a response header) in error messages.
     */
    void download(URI uri, Path incomplete, Path blob, long expectedSize, String sizeSource, String etag,
            String etagSource, String label) throws IOException {
        Files.createDirectories(blob.getParent());
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long before = Files.exists(incomplete) ? Files.size(incomplete) : 0;
            try {
                fetch(uri, incomplete, expectedSize, sizeSource, label);
                last = null;
                break;
            } catch (RefusedDownloadException e) {
                Files.deleteIfExists(incomplete);
                throw new RefusedDownloadException(label + ": " + e.getMessage());
            } catch (IOException e) {
                last = e;
                long after = Files.exists(incomplete) ? Files.size(incomplete) : 0;
                if (after <= before) {
                    break; // no progress: retrying would loop
                }
            }
        }
        if (last != null) {
            throw new IOException(label + ": download from " + uri + " failed (partial file kept for resuming at "
                    + incomplete + "): " + last.getMessage(), last);
        }
        long size = Files.size(incomplete);
        if (expectedSize >= 0 && size != expectedSize) {
            Files.delete(incomplete);
            throw new RefusedDownloadException(label + ": downloaded " + size + " bytes from " + uri + ", the "
                    + sizeSource + " is " + expectedSize);
        }
        if (etag != null && etag.matches("[0-9a-f]{64}")) {
            String sha = sha256(incomplete);
            if (!sha.equals(etag)) {
                Files.delete(incomplete);
                throw new RefusedDownloadException(label + ": SHA-256 " + sha + " of the download from " + uri
                        + " does not match the " + etagSource + " '" + etag + "'; nothing was stored");
            }
        }
        AtomicFiles.moveAtomically(incomplete, blob);
    }

    private void fetch(URI uri, Path incomplete, long expectedSize, String sizeSource, String label)
            throws IOException {
        long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
        if (expectedSize >= 0 && have >= expectedSize) {
            if (have == expectedSize) {
                return;
            }
            Files.delete(incomplete);
            have = 0;
        }
        HttpResponse<InputStream> resp = sendFollowingRedirects(uri, have);
        try (InputStream body = resp.body()) {
            int status = resp.statusCode();
            boolean append = status == 206;
            if (status == 416) { // our partial file is not a prefix the server accepts: start over
                Files.deleteIfExists(incomplete);
                throw new IOException("server refused range " + have + "- (HTTP 416)");
            }
            if (status != 200 && status != 206) {
                throw new IOException("HTTP " + status + " for " + resp.uri());
            }
            long start = append ? have : 0;
            if (append) {
                String range = resp.headers().firstValue("Content-Range").orElse("");
                if (!range.strip().startsWith("bytes " + have + "-")) {
                    throw new RefusedDownloadException("HTTP 206 from " + resp.uri() + " with Content-Range "
                            + HubAnswer.quote(range) + " does not continue the partial file at byte " + have);
                }
            }
            long limit = bodyLimit(resp, start, expectedSize, sizeSource);
            try (FileChannel out = FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 ProgressBar bar = progressBar(label, expectedSize, start)) {
                out.truncate(start).position(start);
                byte[] buf = new byte[1 << 16];
                long written = start;
                int n;
                while ((n = body.read(buf)) > 0) {
                    written += n;
                    if (written > limit) {
                        throw new RefusedDownloadException("the body from " + resp.uri() + " is longer than the "
                                + (limit == expectedSize ? sizeSource + " of " + expectedSize + " bytes"
                                : "limit of " + limit + " bytes") + "; refused");
                    }
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                    if (bar != null) {
                        bar.stepBy(n);
                    }
                }
                out.force(true);
            }
        }
    }

    /** The most bytes the file may hold once this response is written: announced size, else Content-Length. */
    private static long bodyLimit(HttpResponse<?> resp, long start, long expectedSize, String sizeSource)
            throws RefusedDownloadException {
        long contentLength = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (expectedSize >= 0 && contentLength >= 0 && start + contentLength > expectedSize) {
            throw new RefusedDownloadException("Content-Length " + contentLength + " from " + resp.uri()
                    + " exceeds the " + sizeSource + " of " + expectedSize + " bytes (from byte " + start + ")");
        }
        if (expectedSize >= 0) {
            return expectedSize;
        }
        return contentLength >= 0 ? start + contentLength : MAX_UNANNOUNCED_BYTES;
    }

    /** GET (with a Range when resuming), following at most {@link #MAX_REDIRECTS} http/https redirects. */
    private HttpResponse<InputStream> sendFollowingRedirects(URI uri, long have) throws IOException {
        URI current = uri;
        for (int hop = 0; ; hop++) {
            HttpRequest.Builder req = HttpRequest.newBuilder(current).timeout(Duration.ofMinutes(10)).GET();
            if (have > 0) {
                req.header("Range", "bytes=" + have + "-");
            }
            HttpResponse<InputStream> resp = send(req.build());
            int status = resp.statusCode();
            if (status < 300 || status >= 400 || status == 304) {
                return resp;
            }
            resp.body().close();
            if (hop == MAX_REDIRECTS) {
                throw new RefusedDownloadException("more than " + MAX_REDIRECTS + " redirects starting at " + uri
                        + " (last to " + current + ")");
            }
            String location = resp.headers().firstValue("Location").orElseThrow(() -> new IOException("HTTP "
                    + status + " redirect without a Location header from " + resp.uri()));
            try {
                current = HubAnswer.redirectTarget(current, location);
            } catch (IOException e) {
                throw new RefusedDownloadException(e.getMessage());
            }
        }
    }

    private ProgressBar progressBar(String label, long total, long start) {
        if (progressOut == null || total < progressThreshold) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(label).setInitialMax(total).startsFrom(start, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII).setUnit("MiB", 1 << 20).showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(progressOut)).build();
    }

    private HttpResponse<InputStream> send(HttpRequest req) throws IOException {
        try {
            return client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading " + req.uri(), e);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
