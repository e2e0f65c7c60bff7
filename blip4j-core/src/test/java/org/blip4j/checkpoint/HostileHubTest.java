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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub endpoint on loopback that lies: each scenario must be refused with a message naming the header and value,
 * write nothing outside the hostile repository's cache folder, leave no ref or complete snapshot behind, and leave
 * the cache working for an honest repository afterwards.
 */
class HostileHubTest {
    private static final String GOOD = "Org/tiny-a";
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final List<String> SERVED = List.of("config.json", "preprocessor_config.json", "tokenizer.json",
            "vocab.txt", "tokenizer_config.json", "model.safetensors");

    /** What the hostile repository {@code Evil/<name>} does; the expected refusal names these words. */
    enum Scenario {
        COMMIT_PATH("X-Repo-Commit", "../../../escaped"),
        ETAG_PATH("ETag", "../../../blob"),
        FILE_REDIRECT("Location", "file:"),
        GET_REDIRECT_TO_FILE("Location", "file:"),
        ENDLESS_REDIRECTS("more than " + ResumableDownload.MAX_REDIRECTS + " redirects"),
        SHA_MISMATCH("X-Linked-Etag", "does not match"),
        BODY_LONGER_THAN_ANNOUNCED("longer than the X-Linked-Size"),
        CONTENT_LENGTH_ABOVE_ANNOUNCED("Content-Length", "exceeds the X-Linked-Size"),
        NEGATIVE_SIZE("X-Linked-Size", "'-5'");

        final List<String> expected;

        Scenario(String... expected) {
            this.expected = List.of(expected);
        }

        String repo() {
            return "Evil/" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    private HttpServer server;
    @TempDir
    Path root;
    private Path home;
    private Path outsideSecret;

    @BeforeEach
    void start() throws IOException {
        home = Files.createDirectories(root.resolve("hf-home"));
        outsideSecret = Files.writeString(root.resolve("secret.txt"), "not for the cache");
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
            String[] parts = path.split("/", 6); // "", org, name, "resolve", revision, file
            if (parts.length < 6 || !parts[3].equals("resolve")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            String repo = parts[1] + "/" + parts[2];
            String file = parts[5];
            if (!SERVED.contains(file)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            Scenario s = repo.equals(GOOD) ? null : Stream.of(Scenario.values())
                    .filter(v -> v.repo().equals(repo)).findFirst().orElse(null);
            if (s == null && !repo.equals(GOOD)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            serve(ex, s, file);
        }
    }

    private void serve(HttpExchange ex, Scenario s, String file) throws IOException {
        byte[] data = Files.readAllBytes(Fixtures.tinyAModel().resolve(file));
        boolean weights = file.equals("model.safetensors");
        boolean head = ex.getRequestMethod().equals("HEAD");
        var h = ex.getResponseHeaders();
        String etag = weights ? hex("SHA-256", data) : hex("SHA-1", data);
        long announced = data.length;
        h.add("X-Repo-Commit", s == Scenario.COMMIT_PATH ? "../../../escaped" : COMMIT);
        h.add("ETag", "\"" + (s == Scenario.ETAG_PATH && !weights ? "../../../blob" : etag) + "\"");
        if (weights) {
            h.add("X-Linked-Etag", "\"" + (s == Scenario.SHA_MISMATCH ? hex("SHA-256", new byte[1]) : etag) + "\"");
        }
        if (s == Scenario.BODY_LONGER_THAN_ANNOUNCED && weights || s == Scenario.CONTENT_LENGTH_ABOVE_ANNOUNCED
                && weights) {
            announced = data.length - 1000;
        }
        h.add("X-Linked-Size", s == Scenario.NEGATIVE_SIZE && weights ? "-5" : String.valueOf(announced));
        if (weights && head && s == Scenario.FILE_REDIRECT) {
            h.add("Location", outsideSecret.toUri().toString());
            ex.sendResponseHeaders(302, -1);
            return;
        }
        if (weights && !head && s == Scenario.GET_REDIRECT_TO_FILE) {
            h.add("Location", outsideSecret.toUri().toString());
            ex.sendResponseHeaders(302, -1);
            return;
        }
        if (weights && !head && s == Scenario.ENDLESS_REDIRECTS) {
            h.add("Location", ex.getRequestURI().getPath()); // to itself, forever
            ex.sendResponseHeaders(307, -1);
            return;
        }
        if (head) {
            ex.sendResponseHeaders(200, -1);
            return;
        }
        // chunked (0) lets the body run past what the headers announced
        ex.sendResponseHeaders(200, s == Scenario.BODY_LONGER_THAN_ANNOUNCED && weights ? 0 : data.length);
        OutputStream out = ex.getResponseBody();
        out.write(data);
    }

    private static String hex(String algorithm, byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private HubResolver resolver() {
        Map<String, String> env = new HashMap<>(Map.of("HF_HOME", home.toString(),
                "HF_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort()));
        return new HubResolver(env, null, Long.MAX_VALUE);
    }

    private Path repoDir(String repo) {
        return home.resolve("hub").resolve("models--" + repo.replace("/", "--"));
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void refusedNamingTheProblemAndNothingLandsOutsideTheRepoFolder(Scenario s) throws IOException {
        IOException e = assertThrows(IOException.class, () -> resolver().resolve(s.repo()));
        for (String word : s.expected) {
            assertTrue(e.getMessage().contains(word), "refusal names '" + word + "': " + e.getMessage());
        }

        Path evil = repoDir(s.repo());
        try (Stream<Path> all = Files.walk(root)) {
            List<Path> outside = all.filter(p -> !p.equals(root) && !p.equals(outsideSecret) && !p.equals(home)
                    && !p.equals(home.resolve("hub")) && !p.startsWith(evil)).toList();
            assertEquals(List.of(), outside, "nothing is written outside " + evil);
        }
        assertEquals("not for the cache", Files.readString(outsideSecret, StandardCharsets.UTF_8));
        assertFalse(Files.exists(evil.resolve("refs").resolve("main")), "no ref to a failed snapshot");
        Path snapshot = evil.resolve("snapshots").resolve(COMMIT);
        assertFalse(HfModelDirectory.isComplete(snapshot), "no partial snapshot presented as complete");
        if (Files.isDirectory(evil.resolve("blobs"))) {
            try (Stream<Path> blobs = Files.list(evil.resolve("blobs"))) {
                for (Path b : blobs.toList()) { // only verified, exactly announced blobs remain (the small files)
                    assertFalse(b.toString().endsWith(".incomplete"), "refused partial download deleted: " + b);
                    assertTrue(Files.size(b) < 20_000, "the weights never became a blob: " + b);
                }
            }
        }

        // the same cache still serves an honest repository
        Path good = resolver().resolve(GOOD);
        assertEquals(repoDir(GOOD).resolve("snapshots").resolve(COMMIT), good);
        assertArrayEquals(Files.readAllBytes(Fixtures.tinyAModel().resolve("model.safetensors")),
                Files.readAllBytes(good.resolve("model.safetensors")));
        assertEquals(COMMIT, Files.readString(repoDir(GOOD).resolve("refs").resolve("main")));
    }

    @ParameterizedTest
    @EnumSource(value = Scenario.class, names = {"SHA_MISMATCH", "BODY_LONGER_THAN_ANNOUNCED"})
    void aRefusedDownloadIsRefusedAgainOnRetry(Scenario s) {
        assertThrows(IOException.class, () -> resolver().resolve(s.repo()));
        IOException e = assertThrows(IOException.class, () -> resolver().resolve(s.repo()));
        assertTrue(e.getMessage().contains(s.expected.get(0)), e.getMessage());
    }
}
