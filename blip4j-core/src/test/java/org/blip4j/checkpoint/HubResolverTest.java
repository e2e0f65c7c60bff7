package org.blip4j.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a loopback server that answers like the hub's resolve endpoint. */
class HubResolverTest {
    private static final String REPO = "Org/tiny-a";
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    // special_tokens_map.json is left out: an optional file the hub does not have
    private static final List<String> SERVED = List.of("config.json", "preprocessor_config.json", "tokenizer.json",
            "vocab.txt", "tokenizer_config.json", "model.safetensors");

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    /** Bytes after which the next GET of model.safetensors is cut off (-1: never). */
    private final AtomicInteger cutAfter = new AtomicInteger(-1);
    @TempDir
    Path home;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String range = ex.getRequestHeaders().getFirst("Range");
            requests.add(ex.getRequestMethod() + " " + path + (range != null ? " " + range : ""));
            String prefix = "/" + REPO + "/resolve/";
            String file = path.startsWith(prefix) ? path.substring(path.indexOf('/', prefix.length()) + 1) : "";
            if (!SERVED.contains(file)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            byte[] data = Files.readAllBytes(Fixtures.tinyAModel().resolve(file));
            boolean lfs = file.endsWith(".safetensors");
            String etag = lfs ? hex("SHA-256", data) : hex("SHA-1", data);
            ex.getResponseHeaders().add("X-Repo-Commit", COMMIT);
            ex.getResponseHeaders().add("ETag", "\"" + etag + "\"");
            if (lfs) {
                ex.getResponseHeaders().add("X-Linked-Etag", "\"" + etag + "\"");
            }
            ex.getResponseHeaders().add("X-Linked-Size", String.valueOf(data.length));
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.sendResponseHeaders(200, -1);
                return;
            }
            int from = range != null ? Integer.parseInt(range.replace("bytes=", "").replace("-", "")) : 0;
            if (from > 0) {
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (data.length - 1) + "/" + data.length);
            }
            ex.sendResponseHeaders(from > 0 ? 206 : 200, data.length - from);
            OutputStream out = ex.getResponseBody();
            int cut = lfs ? cutAfter.getAndSet(-1) : -1;
            if (cut >= 0) {
                out.write(data, from, cut);
                out.flush();
                throw new IOException("simulated connection drop"); // closing with bytes missing drops the connection
            }
            out.write(data, from, data.length - from);
        }
    }

    private static String hex(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HubResolver resolver(String... extra) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("HF_HOME", home.toString(),
                "HF_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort()));
        for (int i = 0; i < extra.length; i += 2) {
            env.put(extra[i], extra[i + 1]);
        }
        return new HubResolver(env, null, Long.MAX_VALUE);
    }

    private Path repoDir() {
        return home.resolve("hub").resolve("models--Org--tiny-a");
    }

    @Test
    void coldDownloadThenCacheHitWithoutRequests() throws IOException {
        Path snapshot = resolver().resolve(REPO);
        assertEquals(repoDir().resolve("snapshots").resolve(COMMIT), snapshot);
        for (String f : SERVED) {
            assertArrayEquals(Files.readAllBytes(Fixtures.tinyAModel().resolve(f)), Files.readAllBytes(snapshot.resolve(f)), f);
            assertTrue(Files.isSymbolicLink(snapshot.resolve(f)), f + " links into blobs/");
        }
        String sha = ResumableDownload.sha256(Fixtures.tinyAModel().resolve("model.safetensors"));
        assertEquals(repoDir().resolve("blobs").resolve(sha), snapshot.resolve("model.safetensors").toRealPath());
        assertEquals(COMMIT, Files.readString(repoDir().resolve("refs").resolve("main")));
        assertTrue(Files.exists(repoDir().resolve(".no_exist").resolve(COMMIT).resolve("special_tokens_map.json")));
        assertFalse(Files.exists(snapshot.resolve("special_tokens_map.json")));
        assertTrue(requests.contains("HEAD /" + REPO + "/resolve/main/config.json"));
        assertTrue(requests.contains("GET /" + REPO + "/resolve/" + COMMIT + "/model.safetensors"),
                "later files are fetched by commit: " + requests);
        assertEquals(HfModelDirectory.WeightsFormat.SAFETENSORS, HfModelDirectory.open(snapshot).weightsFormat());

        int before = requests.size();
        assertEquals(snapshot, resolver().resolve(REPO));
        assertEquals(snapshot, resolver("HF_HUB_OFFLINE", "1").resolve(REPO + "@" + COMMIT));
        assertEquals(before, requests.size(), "cache hits make no request");
    }

    @Test
    void interruptedDownloadResumesWithRange() throws IOException {
        cutAfter.set(100_000);
        Path snapshot = resolver().resolve(REPO);
        // the server cuts the connection after 100000 bytes; the client resumes from whatever reached its disk
        String prefix = "GET /" + REPO + "/resolve/" + COMMIT + "/model.safetensors bytes=";
        long resumedFrom = requests.stream().filter(r -> r.startsWith(prefix))
                .mapToLong(r -> Long.parseLong(r.substring(prefix.length(), r.length() - 1))).findFirst().orElse(-1);
        assertTrue(resumedFrom > 0 && resumedFrom <= 100_000, "resumed with a Range request: " + requests);
        assertArrayEquals(Files.readAllBytes(Fixtures.tinyAModel().resolve("model.safetensors")),
                Files.readAllBytes(snapshot.resolve("model.safetensors")));
        try (var s = Files.list(repoDir().resolve("blobs"))) {
            assertTrue(s.noneMatch(p -> p.toString().endsWith(".incomplete")));
        }
    }

    @Test
    void partialFileFromAnEarlierRunIsResumed() throws IOException {
        byte[] data = Files.readAllBytes(Fixtures.tinyAModel().resolve("model.safetensors"));
        Path incomplete = repoDir().resolve("blobs").resolve(hex("SHA-256", data) + ".incomplete");
        Files.createDirectories(incomplete.getParent());
        Files.write(incomplete, java.util.Arrays.copyOf(data, 4096));
        Path snapshot = resolver().resolve(REPO);
        assertTrue(requests.stream().anyMatch(r -> r.endsWith("model.safetensors bytes=4096-")), requests.toString());
        assertArrayEquals(data, Files.readAllBytes(snapshot.resolve("model.safetensors")));
    }

    @Test
    void missingRepoAndOfflineMissAreClearErrors() {
        IOException e = assertThrows(IOException.class, () -> resolver().resolve("Org/missing"));
        assertTrue(e.getMessage().contains("'Org/missing'") && e.getMessage().contains("not found"), e.getMessage());
        e = assertThrows(IOException.class, () -> resolver("HF_HUB_OFFLINE", "1").resolve(REPO));
        assertTrue(e.getMessage().contains("HF_HUB_OFFLINE") && e.getMessage().contains("models--Org--tiny-a"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> resolver().resolve("not a repo"));
    }

    @Test
    void repoIdsAndCacheLocation() {
        assertTrue(HubResolver.isRepoId("Salesforce/blip-image-captioning-base"));
        assertTrue(HubResolver.isRepoId("Salesforce/blip-vqa-base@main"));
        assertFalse(HubResolver.isRepoId("/tmp/model"));
        assertFalse(HubResolver.isRepoId("model.pth"));
        assertEquals(Path.of("/c/hub"), new HubResolver(Map.of("HF_HOME", "/c")).cacheRoot());
        assertEquals(Path.of("/x"), new HubResolver(Map.of("HF_HOME", "/c", "HF_HUB_CACHE", "/x")).cacheRoot());
        assertEquals(Path.of("/h/.cache/huggingface/hub"), new HubResolver(Map.of("HOME", "/h")).cacheRoot());
        assertEquals("abc", HubAnswer.normalizeEtag("W/\"abc\""));
    }
}
