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
 * it is verified before the rename, so a bad resume never becomes a blob.
 */
final class ResumableDownload {
    private static final int ATTEMPTS = 4;

    private final HttpClient client;
    private final PrintStream progressOut;
    private final long progressThreshold;

    ResumableDownload(HttpClient client, PrintStream progressOut, long progressThreshold) {
        this.client = client;
        this.progressOut = progressOut;
        this.progressThreshold = progressThreshold;
    }

    void download(URI uri, Path incomplete, Path blob, long expectedSize, String etag, String label)
            throws IOException {
        Files.createDirectories(blob.getParent());
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long before = Files.exists(incomplete) ? Files.size(incomplete) : 0;
            try {
                fetch(uri, incomplete, expectedSize, label);
                last = null;
                break;
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
            throw new IOException(label + ": downloaded " + size + " bytes from " + uri + ", expected " + expectedSize);
        }
        if (etag.matches("[0-9a-f]{64}")) {
            String sha = sha256(incomplete);
            if (!sha.equals(etag)) {
                Files.delete(incomplete);
                throw new IOException(label + ": SHA-256 " + sha + " of the download from " + uri
                        + " does not match the hub's " + etag);
            }
        }
        AtomicFiles.moveAtomically(incomplete, blob);
    }

    private void fetch(URI uri, Path incomplete, long expectedSize, String label) throws IOException {
        long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
        if (expectedSize >= 0 && have >= expectedSize) {
            if (have == expectedSize) {
                return;
            }
            Files.delete(incomplete);
            have = 0;
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET();
        if (have > 0) {
            req.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> resp = send(req.build());
        try (InputStream body = resp.body()) {
            int status = resp.statusCode();
            boolean append = status == 206;
            if (status == 416) { // our partial file is not a prefix the server accepts: start over
                Files.deleteIfExists(incomplete);
                throw new IOException("server refused range " + have + "- (HTTP 416)");
            }
            if (status != 200 && status != 206) {
                throw new IOException("HTTP " + status + " for " + uri);
            }
            long start = append ? have : 0;
            try (FileChannel out = FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 ProgressBar bar = progressBar(label, expectedSize, start)) {
                out.truncate(start).position(start);
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = body.read(buf)) > 0) {
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
