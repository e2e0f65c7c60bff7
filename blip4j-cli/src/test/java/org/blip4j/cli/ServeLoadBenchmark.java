package org.blip4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load figures of docs/BENCHMARKS.md: {@code blip serve} with the built-in shapes captioner in its own JVM, 64
 * concurrent loopback clients sending a bounded number of caption requests (and stopping at a time limit), against
 * the same captions through {@code blip caption} in a JVM of its own. Opt-in, about a minute:
 * {@code mvn -o -B -pl blip4j-cli -am test -Dtest=ServeLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dblip4j.bench.serve=true [-Dblip4j.bench.serve.requests=1280] [-Dblip4j.bench.serve.batch=8]}. Two rounds of
 * the same requests: the server's RSS after each shows whether it stays flat.
 */
@EnabledIfSystemProperty(named = "blip4j.bench.serve", matches = "true")
class ServeLoadBenchmark {
    static final int CLIENTS = 64;

    @TempDir
    Path tmp;

    static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    static Process java(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Xss4m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), "org.blip4j.cli.Main"));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    @Test
    void sixtyFourClientsAgainstTheCli() throws Exception {
        int requests = Integer.getInteger("blip4j.bench.serve.requests", 1280);
        String batch = System.getProperty("blip4j.bench.serve.batch", "8");
        long timeLimitMs = 300_000;
        Path images = tmp.resolve("images");
        ServeTestSupport.writeImages(images, CLIENTS, 7);
        int port = ServeTestSupport.freePort();
        String url = "http://127.0.0.1:" + port;
        Process server = java(tmp.resolve("serve.log"), "serve", "--captioner", "builtin:shapes-captioner", "--port",
                Integer.toString(port), "--batch-size", batch, "--max-seconds", "600");
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (true) {
                try {
                    if (ServeTestSupport.get(url + "/health").status() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    if (System.currentTimeMillis() > deadline || !server.isAlive()) {
                        throw new AssertionError("server did not start: " + Files.readString(tmp.resolve("serve.log")));
                    }
                }
                Thread.sleep(200);
            }
            ServeTestSupport.post(url + "/v1/caption", "image", images.resolve("img_000.png")); // warm-up
            long rssBefore = rssKb(server.pid());
            round(url, images, requests, timeLimitMs, server.pid(), rssBefore, "round 1");
            round(url, images, requests, timeLimitMs, server.pid(), rssBefore, "round 2");
            String metrics = ServeTestSupport.get(url + "/metrics").body();
            Matcher m = Pattern.compile("(?m)^blip_batch_size_bucket\\{worker=\"captioner\",le=\"(\\d+)\"\\} (\\d+)")
                    .matcher(metrics);
            StringBuilder hist = new StringBuilder("batch sizes over both rounds (cumulative, le=N: count):");
            while (m.find()) {
                hist.append(' ').append(m.group(1)).append(':').append(m.group(2));
            }
            Matcher count = Pattern.compile("blip_batch_size_count\\{worker=\"captioner\"\\} (\\d+)").matcher(metrics);
            Matcher sum = Pattern.compile("blip_batch_size_sum\\{worker=\"captioner\"\\} (\\S+)").matcher(metrics);
            if (count.find() && sum.find()) {
                hist.append(String.format("; %s batches, mean %.2f requests per batch", count.group(1),
                        Double.parseDouble(sum.group(1)) / Long.parseLong(count.group(1))));
            }
            System.out.println(hist);
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        cliRun(images, requests, batch);
    }

    /** One round of {@code requests} from 64 clients; prints throughput, latency, errors and the server's RSS. */
    private static void round(String url, Path images, int requests, long timeLimitMs, long pid, long rssBefore,
            String name) throws Exception {
        {   // one block: the round's state
            AtomicInteger next = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            long[] latencyNs = new long[requests];
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            long stopAt = System.currentTimeMillis() + timeLimitMs;
            long t0 = System.nanoTime();
            for (int c = 0; c < CLIENTS; c++) {
                pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < requests && System.currentTimeMillis() < stopAt) {
                        Path img = images.resolve(String.format("img_%03d.png", i % CLIENTS));
                        long s = System.nanoTime();
                        try {
                            if (ServeTestSupport.post(url + "/v1/caption", "image", img).status() != 200) {
                                errors.incrementAndGet();
                            }
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        latencyNs[i] = System.nanoTime() - s;
                    }
                    return null;
                });
            }
            pool.shutdown();
            pool.awaitTermination(timeLimitMs + 60_000, TimeUnit.MILLISECONDS);
            double seconds = (System.nanoTime() - t0) / 1e9;
            int done = Math.min(requests, next.get());
            long[] lat = Arrays.copyOf(latencyNs, done);
            Arrays.sort(lat);
            long rssAfter = rssKb(pid);
            System.out.printf("serve %s: %d requests from %d clients in %.1f s = %.1f req/s; p50 %.0f ms, p99 %.0f ms,"
                    + " max %.0f ms; errors %d; RSS %d MB after warm-up, %d MB after this round%n", name, done, CLIENTS,
                    seconds, done / seconds, lat[done / 2] / 1e6,
                    lat[(int) Math.min(done - 1, Math.ceil(done * 0.99) - 1)] / 1e6, lat[done - 1] / 1e6, errors.get(),
                    rssBefore / 1024, rssAfter / 1024);
        }
    }

    private void cliRun(Path images, int requests, String batch) throws Exception {
        // the same captions through the CLI: each of the 64 images captioned requests/64 times, in one JVM
        Path many = Files.createDirectories(tmp.resolve("cli"));
        for (int i = 0; i < requests; i++) {
            Files.copy(images.resolve(String.format("img_%03d.png", i % CLIENTS)),
                    many.resolve(String.format("r%05d.png", i)));
        }
        long c0 = System.nanoTime();
        Process one = java(tmp.resolve("cli1.log"), "caption", "--model", "builtin:shapes-captioner",
                images.resolve("img_000.png").toString());
        one.waitFor(300, TimeUnit.SECONDS);
        double fixed = (System.nanoTime() - c0) / 1e9;
        long c1 = System.nanoTime();
        Process all = java(tmp.resolve("cli.log"), "caption", "--model", "builtin:shapes-captioner", "--batch-size",
                batch, many.toString());
        all.waitFor(600, TimeUnit.SECONDS);
        double cli = (System.nanoTime() - c1) / 1e9;
        long lines = Files.readAllLines(tmp.resolve("cli.log")).stream().filter(l -> l.contains("\t")).count();
        System.out.printf("cli: %d captions in %.1f s wall (%.1f s for 1 image: JVM start + model load);"
                + " %.1f captions/s excluding that fixed cost%n", lines, cli, fixed, lines / Math.max(1e-9, cli - fixed));
    }
}
