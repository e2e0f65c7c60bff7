package org.blip4j.serve;

import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.staticfiles.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.blip4j.index.EmbeddingIndex;
import org.blip4j.task.Blip;
import org.blip4j.task.Matcher;
import org.blip4j.task.TextOptions;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server of {@code blip serve} (Javalin on Jetty): the /v1 inference endpoints over dynamic batching
 * workers (one per model), /health, /metrics (Prometheus text), /v1/thumb (images of the index) and the web page at
 * /. Admission is bounded (503 + Retry-After past {@code --queue}); every refused request gets
 * {@code {"error": "..."}} with a 4xx status, and no request can stop the server.
 */
public final class BlipServer implements AutoCloseable {
    static final Set<String> ENDPOINTS = Set.of("/v1/caption", "/v1/vqa", "/v1/itm", "/v1/embed", "/v1/search",
            "/v1/thumb", "/health", "/metrics", "/");

    private final ServeOptions options;
    private final ServedModels models;
    private final ServerMetrics metrics = new ServerMetrics();
    private final Admission admission;
    private final ImageDecoding decoding;
    private final List<DynamicBatcher> batchers = new ArrayList<>();
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private Javalin app;

    private BlipServer(ServedModels models, ServeOptions options) {
        this.models = models;
        this.options = options;
        this.admission = new Admission(options.queue(), options.maxInFlightImageBytes());
        this.decoding = new ImageDecoding(options.maxPixels(), Runtime.getRuntime().availableProcessors());
        metrics.inFlight(admission::inFlight);
        int b = options.batchSize();
        if (models.captioner() != null) {
            routes.put("/v1/caption", new CaptionRoute(new ModelRoute(models.captioner(), batcher("captioner"),
                    decoding, b)));
        }
        if (models.vqa() != null) {
            routes.put("/v1/vqa", new VqaRoute(new ModelRoute(models.vqa(), batcher("vqa"), decoding, b)));
        }
        if (models.matcher() != null) {
            DynamicBatcher m = batcher("matcher");
            ModelRoute matcher = new ModelRoute(models.matcher(), m, decoding, b);
            ItmRoute itm = new ItmRoute(matcher);
            EmbedRoute embed = new EmbedRoute(matcher);
            routes.put("/v1/itm", itm);
            routes.put("/v1/embed", embed);
            if (models.index() != null) {
                Matcher reranker = new Matcher(models.matcher(), TextOptions.retrieval(), b);
                routes.put("/v1/search", new SearchRoute(models.index(), embed, reranker, m, decoding));
            }
        }
    }

    private DynamicBatcher batcher(String name) {
        DynamicBatcher d = new DynamicBatcher(name, options.batchSize(), options.batchWaitMillis(),
                size -> metrics.batch(name, size));
        metrics.queueDepth(name, d::depth);
        batchers.add(d);
        return d;
    }

    /** Starts a server; {@code port} 0 picks a free one (see {@link #port()}). */
    public static BlipServer start(ServedModels models, ServeOptions options) {
        BlipServer s = new BlipServer(models, options);
        try {
            s.app = s.build().start();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    public int port() {
        return app.port();
    }

    /** The base URL, e.g. http://127.0.0.1:8080. */
    public String url() {
        String h = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + h + ":" + port();
    }

    private Javalin build() {
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = options.host();
            cfg.jetty.port = options.port();
            QueuedThreadPool pool = new QueuedThreadPool(options.httpThreads(), 4);
            pool.setName("blip-http");
            pool.setDaemon(true);
            cfg.jetty.threadPool = pool;
            long max = options.maxUploadBytes();
            // Jetty's own limits sit above ours, so an upload just over the limit reaches Form (a clear 413 naming
            // the field); far bigger ones stop at the Content-Length check or at Jetty (mapped to 413 by classify)
            cfg.jetty.multipartConfig.maxFileSize(max + (1 << 20), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxTotalRequestSize(max + (2 << 20), SizeUnit.BYTES);
            cfg.jetty.multipartConfig.maxInMemoryFileSize(1 << 20, SizeUnit.BYTES);
            cfg.http.maxRequestSize = 1 << 20; // non-multipart bodies (forms): texts only
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = "/blip4j/web";
                sf.location = Location.CLASSPATH;
            });
            cfg.requestLogger.http((ctx, ms) -> metrics.request(endpointLabel(ctx), ctx.statusCode(), ms / 1000.0));
            cfg.routes.get("/health", this::health);
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.render()));
            cfg.routes.get("/v1/thumb", this::thumb);
            for (String path : List.of("/v1/caption", "/v1/vqa", "/v1/itm", "/v1/embed", "/v1/search")) {
                Route r = routes.get(path);
                cfg.routes.post(path, r != null ? inference(r) : ctx -> {
                    throw new ApiException(404, path + " is not served: start the server with the model it needs ("
                            + (path.equals("/v1/caption") ? "--captioner" : path.equals("/v1/vqa") ? "--vqa"
                            : path.equals("/v1/search") ? "--matcher and --index" : "--matcher") + ")");
                });
            }
            cfg.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e));
            cfg.routes.exception(Exception.class, (e, ctx) -> error(ctx, classify(e)));
            cfg.routes.error(404, ctx -> { // unknown paths (Javalin's plain-text 404) answer in JSON too
                String type = ctx.res().getContentType();
                if (type == null || !type.startsWith("application/json")) {
                    json(ctx.status(404), Json.map("error", "no such path: " + ctx.method() + " " + ctx.path()));
                }
            });
            cfg.routes.error(405, ctx -> json(ctx.status(405), Json.map("error", "method " + ctx.method()
                    + " not allowed on " + ctx.path())));
        });
    }

    /** Admits, validates and queues on the HTTP thread; the answer is written when the batch worker finishes. */
    private Handler inference(Route route) {
        return ctx -> {
            long length = ctx.req().getContentLengthLong();
            if (length > options.maxUploadBytes() + (2 << 20)) {
                throw new ApiException(413, "request of " + length + " bytes exceeds the upload limit of "
                        + options.maxUploadBytes() + " bytes (--max-upload-mb)");
            }
            Admission.Ticket ticket = admission.enter();
            CompletableFuture<Object> answer;
            try {
                answer = route.handle(new Form(ctx, options.maxUploadBytes()), ticket);
            } catch (RuntimeException | Error e) {
                ticket.close();
                throw e;
            }
            ctx.future(() -> answer.handle((body, err) -> {
                ticket.close();
                if (err != null) {
                    error(ctx, classify(err));
                } else {
                    json(ctx.status(200), body);
                }
                return null;
            }));
        };
    }

    private void health(Context ctx) {
        Map<String, Object> roles = new LinkedHashMap<>();
        roles.put("captioner", name(models.captioner()));
        roles.put("matcher", name(models.matcher()));
        roles.put("vqa", name(models.vqa()));
        EmbeddingIndex index = models.index();
        roles.put("index", index == null ? null : Json.map("path", index.directory().toString(),
                "images", index.size("images"), "texts", index.size("texts"),
                "hnsw", index.approximate("images")));
        json(ctx, Json.map("status", "ok", "models", roles, "in_flight", admission.inFlight(),
                "queue_limit", options.queue(), "batch_size", options.batchSize()));
    }

    private static String name(Blip b) {
        return b == null ? null : b.directory() == null ? "in-memory" : b.directory().toString();
    }

    /** An indexed image (for the page's thumbnails); only ids of the index resolve to files. */
    private void thumb(Context ctx) throws Exception {
        EmbeddingIndex index = models.index();
        String id = ctx.queryParam("id");
        if (index == null) {
            throw new ApiException(404, "no index is served");
        }
        if (id == null || id.isBlank()) {
            throw ApiException.badField("id", "missing");
        }
        Path p = index.imageFile(id).orElseThrow(() -> new ApiException(404, "field 'id': no readable indexed image '"
                + Form.clip(id) + "'"));
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        String type = n.endsWith(".png") ? "image/png" : n.endsWith(".gif") ? "image/gif"
                : n.endsWith(".webp") ? "image/webp" : n.endsWith(".bmp") ? "image/bmp" : "image/jpeg";
        ctx.contentType(type).header("Cache-Control", "max-age=3600").result(Files.readAllBytes(p));
    }

    private static String endpointLabel(Context ctx) {
        String p = ctx.path();
        if (ENDPOINTS.contains(p)) {
            return p;
        }
        return p.endsWith(".js") || p.endsWith(".css") || p.endsWith(".html") ? "static" : "other";
    }

    /** Maps what went wrong to the status a client should see. */
    static ApiException classify(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof ApiException a) {
            return a;
        }
        String m = String.valueOf(e.getMessage());
        String lower = m.toLowerCase(java.util.Locale.ROOT);
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String cm = String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if ((cm.contains("size") || cm.contains("too large")) && (cm.contains("exceed") || cm.contains("max"))) {
                return new ApiException(413, "upload exceeds the limit (--max-upload-mb): " + c.getMessage());
            }
        }
        if (e instanceof IllegalArgumentException) {
            return new ApiException(400, m);
        }
        if (lower.contains("multipart") || e.getClass().getName().contains("BadMessage")) {
            return new ApiException(400, "malformed multipart request: " + m);
        }
        if (e instanceof OutOfMemoryError) {
            return new ApiException(503, "out of memory on this request; retry later", 5);
        }
        System.err.println("blip serve: internal error: " + e);
        return new ApiException(500, "internal error: " + e.getClass().getSimpleName() + ": " + m);
    }

    private static void error(Context ctx, ApiException e) {
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
        }
        json(ctx.status(e.status()), Json.map("error", e.getMessage()));
    }

    private static void json(Context ctx, Object body) {
        ctx.contentType("application/json").result(Json.write(body));
    }

    /** Stops accepting requests, fails queued ones with 503, and stops the workers; the models stay open. */
    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
        for (DynamicBatcher b : batchers) {
            b.close();
        }
    }
}
