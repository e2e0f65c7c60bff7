package org.blip4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.blip4j.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code blip cluster start} (a standalone master and two 1-core workers on 127.0.0.1, separate JVMs), then
 * {@code capfilt --master spark://…} with worker 1 and its executor SIGKILLed once the first shard part is written:
 * Spark reruns the lost tasks on worker 2 and bootstrapped.json equals the one-process run byte for byte.
 */
class SparkClusterCapfiltTest {
    @TempDir
    Path tmp;

    @Test
    void aWorkerKilledMidJobChangesNothing() throws Exception {
        String pattern = ShardWorld.write(tmp.resolve("web"), 6, 6, 2);
        Path one = tmp.resolve("one");
        assertEquals(0, Main.run(ShardWorld.capfiltArgs(pattern, one).toArray(String[]::new)));

        Path dir = tmp.resolve("cluster");
        System.setProperty("spark.executor.memory", "640m");
        assertEquals(0, Main.run("cluster", "start", "--workers", "2", "--memory", "1g", "--dir", dir.toString(),
                "--lifetime", "15"));
        String masterPid = Files.readString(dir.resolve("master.pid")).trim();
        String worker2Pid = Files.readString(dir.resolve("worker-2.pid")).trim();
        try {
            String url = Files.readString(dir.resolve("master.url")).trim();
            assertTrue(url.startsWith("spark://127.0.0.1:"), url);
            assertTrue(Files.exists(dir.resolve("worker-1.pid")) && Files.exists(dir.resolve("worker-2.pid")));

            Path out = tmp.resolve("cluster-out");
            List<String> args = ShardWorld.capfiltArgs(pattern, out);
            args.addAll(List.of("--master", url));
            CompletableFuture<Integer> job = CompletableFuture.supplyAsync(() -> Main.run(args.toArray(String[]::new)));

            awaitFirstPart(out.resolve("parts"), job);
            ProcessHandle worker = ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve("worker-1.pid"))
                    .trim())).orElseThrow();
            List<ProcessHandle> executors = worker.descendants().toList();
            worker.destroyForcibly(); // SIGKILL, and the same for its executor JVM: the machine is gone
            executors.forEach(ProcessHandle::destroyForcibly);
            worker.onExit().get(30, TimeUnit.SECONDS);

            assertEquals(0, job.get(5, TimeUnit.MINUTES));
            assertFalse(done(out.resolve("parts")) < 6, "every shard has its part");
            assertArrayEquals(Files.readAllBytes(one.resolve("bootstrapped.json")),
                    Files.readAllBytes(out.resolve("bootstrapped.json")));
            assertEquals(Files.readString(one.resolve("report.md")), Files.readString(out.resolve("report.md")));
        } finally {
            assertEquals(0, Main.run("cluster", "stop", "--dir", dir.toString()));
        }
        for (String pid : List.of(masterPid, worker2Pid)) {
            assertTrue(ProcessHandle.of(Long.parseLong(pid)).map(h -> !h.isAlive()).orElse(true),
                    "cluster stop ended daemon " + pid);
        }
        assertFalse(Files.exists(dir.resolve("master.pid")));
    }

    private static void awaitFirstPart(Path parts, CompletableFuture<Integer> job) throws Exception {
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (done(parts) == 0) {
            if (job.isDone()) {
                throw new AssertionError("the job ended before any part was seen: exit " + job.get());
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no part written within 3 minutes");
            }
            Thread.sleep(100);
        }
    }

    private static long done(Path parts) throws IOException {
        if (!Files.isDirectory(parts)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(parts)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).count();
        }
    }
}
