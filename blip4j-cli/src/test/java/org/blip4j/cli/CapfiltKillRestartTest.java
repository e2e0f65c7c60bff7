package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real crash safety: {@code blip capfilt} in a child JVM is killed with SIGKILL ({@code destroyForcibly}) at a
 * random moment after it has written a part, three times; a final rerun must produce the same records as an
 * uninterrupted run (on one worker, where the killed runs had two), without duplicates or losses.
 */
class CapfiltKillRestartTest {
    @TempDir
    Path tmp;

    @Test
    void sigkilledRunsResumeToTheUninterruptedResult() throws Exception {
        Path root = CapfiltCommandTest.writeInputs(tmp.resolve("in"), 48);
        Path reference = tmp.resolve("reference");
        var r = CliRunner.run(CapfiltCommandTest.args(root, reference, "--shard-size", "4").toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());

        Path out = tmp.resolve("killed");
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Dai.djl.offline=true", "-Xss4m", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        // two workers: parts finish out of order, and the resume must still fill exactly the missing ones
        cmd.addAll(CapfiltCommandTest.args(root, out, "--shard-size", "4", "--workers", "2"));
        Random random = new Random(42);
        int kills = 0;
        for (int attempt = 0; attempt < 3; attempt++) {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("child-" + attempt + ".log").toFile()).start();
            int before = partCount(out);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (p.isAlive() && partCount(out) <= before && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(random.nextInt(150)); // somewhere inside the next part, or its write
            if (p.isAlive()) {
                p.destroyForcibly(); // SIGKILL on Unix: no shutdown hooks, no finally blocks
                kills++;
            }
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(kills >= 1, "at least one run must have been killed mid-way");
        assertTrue(!Files.exists(out.resolve("bootstrapped.json")) || kills < 3);

        var resumed = CliRunner.run(CapfiltCommandTest.args(root, out, "--shard-size", "4", "--workers", "2")
                .toArray(String[]::new));
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.err().contains("resuming: "), "the killed runs left parts behind: " + resumed.err());
        TreeMap<String, JsonNode> a = records(reference);
        TreeMap<String, JsonNode> b = records(out);
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertEquals(a.get(k).get("caption"), b.get(k).get("caption"), k);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int partCount(Path out) throws IOException {
        Path parts = out.resolve("parts");
        if (!Files.isDirectory(parts)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(parts)) {
            return (int) s.filter(p -> p.getFileName().toString().startsWith("part-")).count();
        }
    }

    static TreeMap<String, JsonNode> records(Path out) throws IOException {
        TreeMap<String, JsonNode> m = new TreeMap<>();
        for (JsonNode n : CapfiltCommandTest.JSON.readTree(out.resolve("bootstrapped.json").toFile())) {
            String key = n.get("source").asText() + "_" + n.get("source_index") + "_" + n.get("text_index");
            if (m.put(key, n) != null) {
                throw new AssertionError("duplicate " + key + " in " + out + File.separator + "bootstrapped.json");
            }
        }
        return m;
    }
}
