package org.blip4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.blip4j.index.EmbeddingIndex;
import org.blip4j.serve.BlipServer;
import org.blip4j.serve.ServeOptions;
import org.blip4j.serve.ServedModels;
import org.blip4j.task.Blip;
import org.blip4j.task.ModelOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Serves captioning, VQA, ITM, embeddings and index search over HTTP, with dynamic batching and a web page. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"HTTP API + web page: POST /v1/caption, /v1/vqa, /v1/itm, /v1/embed, /v1/search;",
            "GET /health, /metrics (Prometheus), / (page). Binds to loopback unless --host says otherwise."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--captioner", description = "captioning model (e.g. builtin:shapes-captioner)")
    String captioner;

    @Option(names = "--matcher", description = "ITM/ITC model: /v1/itm, /v1/embed, /v1/search")
    String matcher;

    @Option(names = "--vqa", description = "VQA model: /v1/vqa")
    String vqa;

    @Option(names = "--index", description = "index directory from 'blip index' (needs --matcher): /v1/search")
    Path index;

    @Option(names = "--hnsw-candidates", defaultValue = "" + EmbeddingIndex.DEFAULT_CANDIDATES,
            description = "neighbours an HNSW search of the index collects (default ${DEFAULT-VALUE})")
    int hnswCandidates;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "interface to bind (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "port (0 = any free one; default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--batch-size", defaultValue = "8", description = "most requests decoded together")
    int batchSize;

    @Option(names = "--batch-wait-ms", defaultValue = "5", description = "how long a batch waits for company")
    int batchWaitMs;

    @Option(names = "--queue", defaultValue = "" + ServeOptions.DEFAULT_QUEUE,
            description = "requests in flight before 503 (default ${DEFAULT-VALUE})")
    int queue;

    @Option(names = "--max-upload-mb", defaultValue = "20", description = "largest upload (413 above)")
    int maxUploadMb;

    @Option(names = "--max-pixels", defaultValue = "50000000", description = "largest decoded image (width*height)")
    long maxPixels;

    @Option(names = "--max-image-memory-mb", defaultValue = "2048",
            description = "decoded image bytes held by admitted requests before 503")
    long maxImageMemoryMb;

    @Option(names = "--http-threads", defaultValue = "0",
            description = "HTTP worker threads (parse, decode); 0 = max(32, 4 per core)")
    int httpThreads;

    @Option(names = "--max-seconds", hidden = true, description = "stop after this many seconds (tests, benchmarks)")
    Integer maxSeconds;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        ServeOptions options = new ServeOptions(host, port, batchSize, batchWaitMs, queue,
                (long) maxUploadMb << 20, maxPixels, maxImageMemoryMb << 20, httpThreads);
        engine.start();
        ModelOptions mo = ModelOptions.defaults().withDevice(engine.device);
        Blip cap = null;
        Blip match = null;
        Blip answer = null;
        EmbeddingIndex idx = null;
        ServedModels models = null;
        try {
            cap = captioner == null ? null : Blip.load(captioner, mo);
            match = matcher == null ? null : Blip.load(matcher, mo);
            answer = vqa == null ? null : Blip.load(vqa, mo);
            idx = index == null ? null : EmbeddingIndex.open(index, hnswCandidates);
            models = new ServedModels(cap, match, answer, idx);
        } catch (RuntimeException | java.io.IOException e) {
            for (AutoCloseable c : new AutoCloseable[] {cap, match, answer, idx}) {
                if (c != null) {
                    c.close();
                }
            }
            throw e;
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        boolean interrupted = false;
        // Ctrl-C: the hook stops the wait below and lets the server finish its answers and close (at most 10 s)
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                closed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "blip-serve-shutdown");
        try (BlipServer server = BlipServer.start(models, options)) {
            Runtime.getRuntime().addShutdownHook(hook);
            System.err.println("blip serve: listening on " + server.url() + " (Ctrl-C stops)");
            System.out.println(server.url());
            System.out.flush();
            try {
                if (maxSeconds != null) {
                    stop.await(maxSeconds, TimeUnit.SECONDS);
                } else {
                    stop.await();
                }
            } catch (InterruptedException e) { // an embedding application (or a test) stops the server
                interrupted = true; // the flag is restored once the server and models are closed
            }
        } finally {
            models.closeAll();
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // shutting down already, or the server never started
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
