package org.blip4j.checkpoint;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import org.blip4j.util.AtomicFiles;

/**
 * A checkpoint named by an {@code http(s)} URL, as the original configs' {@code pretrained:} is: downloaded once
 * into {@code <cache>/urls/<sha256(url)[:16]>/<file name>} (resumable: a cut download continues with a Range request
 * on the next attempt or run), its SHA-256 recorded beside it in {@code <file>.sha256}. Later runs use the cached
 * file without touching the network.
 */
public final class CheckpointUrlCache {
    private final Path root;
    private final HttpClient client;
    private final PrintStream progress;

    public CheckpointUrlCache(Path root, HttpClient client, PrintStream progress) {
        this.root = root;
        this.client = client;
        this.progress = progress;
    }

    /** The cache under {@code $BLIP4J_CACHE} (else {@code ~/.cache/blip4j}), progress on stderr. */
    public static CheckpointUrlCache defaults() {
        String env = System.getenv("BLIP4J_CACHE");
        Path base = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "blip4j");
        return new CheckpointUrlCache(base.resolve("urls"), HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build(),
                System.err);
    }

    public static boolean isUrl(String spec) {
        String s = spec.toLowerCase(Locale.ROOT);
        return s.startsWith("http://") || s.startsWith("https://");
    }

    /** Where {@code url} is (or will be) cached. */
    public Path pathOf(String url) {
        URI uri = URI.create(url);
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (!name.matches("[A-Za-z0-9._-]{1,200}") || name.startsWith(".")) {
            name = "checkpoint.pth";
        }
        return root.resolve(sha256Hex(url).substring(0, 16)).resolve(name);
    }

    /** The local copy of {@code url}, downloading it first when it is not cached yet. */
    public Path fetch(String url) throws IOException {
        if (!isUrl(url)) {
            throw new IllegalArgumentException(url + ": not an http(s) URL");
        }
        Path file = pathOf(url);
        Path sha = file.resolveSibling(file.getFileName() + ".sha256");
        if (Files.isRegularFile(file) && Files.isRegularFile(sha)) {
            return file;
        }
        URI uri = URI.create(url);
        long size = contentLength(uri);
        Path incomplete = file.resolveSibling(file.getFileName() + ".incomplete");
        new ResumableDownload(client, progress, 1 << 20).download(uri, incomplete, file, size, "",
                file.getFileName().toString());
        String digest = ResumableDownload.sha256(file);
        AtomicFiles.writeString(sha, digest + "  " + file.getFileName() + "  " + url + "\n");
        if (progress != null) {
            progress.println("downloaded " + url + " -> " + file + " (sha256 " + digest + ")");
        }
        return file;
    }

    /** The recorded SHA-256 of a cached download, or null. */
    public String recordedSha256(String url) throws IOException {
        Path file = pathOf(url);
        Path sha = file.resolveSibling(file.getFileName() + ".sha256");
        return Files.isRegularFile(sha) ? Files.readString(sha).split("\\s+")[0] : null;
    }

    /** The size a HEAD request announces (-1 when the server does not say), so a short download is caught. */
    private long contentLength(URI uri) throws IOException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<Void> r = client.send(req, HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() == 404 || r.statusCode() == 403 || r.statusCode() == 410) {
                throw new IOException("HTTP " + r.statusCode() + " for " + uri);
            }
            return r.statusCode() == 200 ? r.headers().firstValueAsLong("Content-Length").orElse(-1) : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + uri + " for its size", e);
        }
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
