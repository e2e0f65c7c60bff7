package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.blip4j.checkpoint.CheckpointUrlCache;
import org.blip4j.engine.Engines;
import org.blip4j.task.Blip;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pretrained:} as an http(s) URL, served over loopback: an original .pth (tiny-a, official key names, with
 * momentum encoders) downloaded once into the cache, resuming after a cut connection, its SHA-256 recorded; then
 * read with the task's layout (position embeddings interpolated to image_size, momentum encoders used by
 * retrieval and left out by captioning). The retrieval run starts from the unmodified retrieval_coco.yaml, whose
 * vit_grad_ckpt / vit_ckpt_layer 4 checkpoint every block of this 2-layer ViT.
 */
class PretrainedUrlTest {
    private static final String PATH = "/BLIP/models/model_base_retrieval_coco.pth";

    @TempDir
    Path tmp;
    private HttpServer server;
    private byte[] data;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger cutAfter = new AtomicInteger(-1);
    private String oldHome;

    @BeforeEach
    void start() throws IOException {
        data = Files.readAllBytes(tinyAModel().resolve("original.pth"));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        oldHome = System.getProperty("user.home");
        System.setProperty("user.home", tmp.resolve("home").toString()); // the cache lives under ~/.cache/blip4j
    }

    @AfterEach
    void stop() {
        server.stop(0);
        System.setProperty("user.home", oldHome);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PATH;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String range = ex.getRequestHeaders().getFirst("Range");
            requests.add(ex.getRequestMethod() + (range != null ? " " + range : ""));
            if (!ex.getRequestURI().getPath().equals(PATH)) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            if (ex.getRequestMethod().equals("HEAD")) {
                ex.getResponseHeaders().add("Content-Length", String.valueOf(data.length));
                ex.sendResponseHeaders(200, -1);
                return;
            }
            int from = range != null ? Integer.parseInt(range.replace("bytes=", "").replace("-", "")) : 0;
            if (from > 0) {
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (data.length - 1) + "/"
                        + data.length);
            }
            ex.sendResponseHeaders(from > 0 ? 206 : 200, data.length - from);
            OutputStream out = ex.getResponseBody();
            int cut = cutAfter.getAndSet(-1);
            if (cut >= 0) {
                out.write(data, from, cut);
                out.flush();
                throw new IOException("simulated connection drop");
            }
            out.write(data, from, data.length - from);
        }
    }

    Path official(String name) throws IOException {
        Path p = tmp.resolve(name + ".yaml");
        try (InputStream in = getClass().getResourceAsStream("/official-configs/" + name + ".yaml")) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    @Test
    void cutDownloadResumesOnceAndIsRecordedWithItsSha256() throws Exception {
        cutAfter.set(500_000);
        CheckpointUrlCache cache = CheckpointUrlCache.defaults();
        Path file = cache.fetch(url());
        assertTrue(requests.stream().anyMatch(r -> r.startsWith("GET bytes=")), "resumed with Range: " + requests);
        assertEquals(data.length, Files.size(file));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        assertEquals(sha, cache.recordedSha256(url()));
        int before = requests.size();
        assertEquals(file, cache.fetch(url()));
        assertEquals(before, requests.size(), "a cached URL is not asked again");
        var e = assertThrows(IOException.class, () -> cache.fetch(url().replace(".pth", "_missing.pth")));
        assertTrue(e.getMessage().contains("404"), e.getMessage());
    }

    @Test
    void retrievalAndCaptionRunFromAUrlWithTheirKeyLayouts() throws Exception {
        TinyWorld w = new TinyWorld(tmp.resolve("world"), 24, 4);
        Path ann = Files.createDirectories(w.dir.resolve("annotation"));
        Files.copy(w.dir.resolve("human.json"), ann.resolve("coco_karpathy_train.json"));
        Path tinyA = tinyAModel();
        List<String> sets = List.of("pretrained=" + url(), "tokenizer=" + tinyA, "vision_heads=4",
                "med_config=" + tinyA.resolve("med_config.json"), "image_root=.", "ann_root=annotation",
                "image_size=96", "batch_size_train=4", "queue_size=8", "max_steps=1", "num_workers=1",
                "randaugment=false", "save_every_steps=0");
        // the file's vit: 'base' does not describe this checkpoint: refused, not silently replaced
        TrainConfig wrong = TrainConfig.resolve(TrainingTask.RETRIEVAL, official("retrieval_coco").toString(), sets);
        var e = assertThrows(IllegalArgumentException.class, () -> train(wrong, TrainingTask.RETRIEVAL, "wrong", w,
                new ArrayList<>()));
        assertTrue(e.getMessage().contains("does not match"), e.getMessage());

        List<String> right = new ArrayList<>(sets);
        right.add("model_config=" + tinyA.resolve("config.json"));
        TrainConfig ret = TrainConfig.resolve(TrainingTask.RETRIEVAL, official("retrieval_coco").toString(), right);
        assertTrue(ret.bool("vit_grad_ckpt", false));
        List<String> log = new ArrayList<>();
        Trainer.Result r = train(ret, TrainingTask.RETRIEVAL, "retrieval", w, log);
        assertEquals(1, r.steps());
        assertTrue(log.stream().anyMatch(m -> m.contains("momentum encoders loaded")), log.toString());
        assertTrue(log.stream().anyMatch(m -> m.contains("feature queues loaded")), log.toString());
        long gets = requests.stream().filter(q -> q.startsWith("GET")).count();
        try (Blip b = Blip.load(r.modelDir().toString())) {
            assertEquals(96, b.model().config().vision().imageSize());
            // 4x4 patches + CLS in the checkpoint, interpolated to 6x6 + CLS
            assertEquals(new ai.djl.ndarray.types.Shape(1, 37, 48), b.model().parameters()
                    .get("vision_model.embeddings.position_embedding").array().getShape());
        }

        TrainConfig cap = TrainConfig.resolve(TrainingTask.CAPTION, official("caption_coco").toString(), List.of(
                "pretrained=" + url(), "tokenizer=" + tinyA, "vision_heads=4", "med_config="
                + tinyA.resolve("med_config.json"), "model_config=" + tinyA.resolve("config.json"), "image_root=.",
                "ann_root=annotation", "image_size=96", "batch_size=4", "max_steps=1", "num_workers=1",
                "randaugment=false", "save_every_steps=0"));
        List<String> capLog = new ArrayList<>();
        train(cap, TrainingTask.CAPTION, "caption", w, capLog);
        assertFalse(capLog.stream().anyMatch(m -> m.contains("momentum")), capLog.toString());
        assertEquals(gets, requests.stream().filter(q -> q.startsWith("GET")).count(), "downloaded once");
    }

    Trainer.Result train(TrainConfig cfg, TrainingTask task, String run, TinyWorld w, List<String> log)
            throws IOException {
        try (var m = Engines.newManager(Engines.device("cpu"))) {
            return Trainer.run(cfg, task, tmp.resolve(run), false, w.dir, m, new TrainingListener() {
                @Override
                public void onMessage(String message) {
                    log.add(message);
                }
            });
        }
    }

    /** The tiny-a parity model, a test resource of blip4j-core that this module's build adds to its own. */
    private static Path tinyAModel() throws IOException {
        var url = PretrainedUrlTest.class.getClassLoader().getResource("parity/tiny-a/model");
        if (url == null) {
            throw new IllegalStateException("test resource not found: parity/tiny-a/model");
        }
        try {
            return Path.of(url.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
