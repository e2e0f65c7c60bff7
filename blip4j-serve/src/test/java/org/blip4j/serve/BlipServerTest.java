package org.blip4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;
import org.blip4j.index.EmbeddingIndex;
import org.blip4j.index.EmbeddingIndexWriter;
import org.blip4j.task.Blip;
import org.blip4j.task.Caption;
import org.blip4j.task.CaptionDecoding;
import org.blip4j.task.CaptionOptions;
import org.blip4j.task.Captioner;
import org.blip4j.task.Embedder;
import org.blip4j.task.TextOptions;
import org.blip4j.vqa.VisualQuestionAnswerer;
import org.blip4j.vqa.VqaOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server with every role (the built-in shapes captioner and filter, the tiny VQA parity model, a small index):
 * answers equal the task API's answers for the request alone, concurrent requests are batched and each still gets
 * its alone-answer, and bad requests get 4xx JSON while the server keeps serving.
 */
class BlipServerTest {
    static final Path TINY_VQA = Path.of("../blip4j-core/src/test/resources/parity/tiny-a-vqa/model")
            .toAbsolutePath().normalize();
    static final long MAX_UPLOAD = 200 * 1024;

    @TempDir
    static Path tmp;

    static Blip captioner;
    static Blip matcher;
    static Blip vqa;
    static EmbeddingIndex index;
    static BlipServer server;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        captioner = Blip.load("builtin:shapes-captioner");
        matcher = Blip.load("builtin:shapes-filter");
        vqa = Blip.load(TINY_VQA.toString());
        Path images = tmp.resolve("images");
        TestImages.write(images, 12, 64, 5);
        List<String> ids = new ArrayList<>();
        List<RgbImage> imgs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Path p = images.resolve(String.format("img_%03d.png", i));
            ids.add(p.toString());
            imgs.add(ImageLoader.load(p));
        }
        EmbeddingIndexWriter w = EmbeddingIndexWriter.open(tmp.resolve("idx"), "builtin:shapes-filter", 64, null);
        w.append("images", ids, new Embedder(matcher).embedImages(imgs));
        w.finish();
        index = EmbeddingIndex.open(tmp.resolve("idx"));
        ServeOptions o = ServeOptions.defaults().withPort(0).withMaxUploadBytes(MAX_UPLOAD);
        o = new ServeOptions(o.host(), 0, 8, 20, 256, MAX_UPLOAD, o.maxPixels(), o.maxInFlightImageBytes(), 40);
        server = BlipServer.start(new ServedModels(captioner, matcher, vqa, index), o);
        url = server.url();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (captioner != null) {
            new ServedModels(captioner, matcher, vqa, index).closeAll();
        }
    }

    static List<Caption> alone(byte[] png, String name, CaptionOptions options, long seed) {
        RgbImage img = ImageLoader.load(png, name);
        return new Captioner(captioner, options).caption(List.of(img),
                new long[] {CaptionDecoding.imageSeed(seed, name)}).get(0);
    }

    @Test
    void captionEqualsTheCaptionerAlone() throws Exception {
        byte[] png = TestImages.png(1, 64);
        Http.Answer a = Http.post(url + "/v1/caption", new Http.Form().file("image", "one.png", png));
        assertEquals(200, a.status(), a.body());
        Caption expected = alone(png, "one.png", CaptionOptions.defaults(), 0).get(0);
        JsonNode c = a.json().get("captions").get(0);
        assertEquals(expected.text(), c.get("caption").asText());
        assertEquals(expected.score(), c.get("score").asDouble(), 1e-5);
    }

    @Test
    void samplingUsesTheRequestSeedAndFileName() throws Exception {
        byte[] png = TestImages.png(2, 64);
        Http.Form f = new Http.Form().file("image", "two.png", png).field("sample", "true").field("seed", "7")
                .field("num_captions", "3");
        Http.Answer a = Http.post(url + "/v1/caption", f);
        assertEquals(200, a.status(), a.body());
        CaptionDecoding d = new CaptionDecoding(org.blip4j.generate.GenerationOptions.Strategy.SAMPLE, 3, 0.9, 50, 1.0,
                7, 3, 20, 5, null, 1.0);
        List<Caption> expected = alone(png, "two.png", CaptionOptions.defaults().withGeneration(d.options()), 7);
        assertEquals(3, a.json().get("captions").size());
        for (int i = 0; i < 3; i++) {
            assertEquals(expected.get(i).text(), a.json().get("captions").get(i).get("caption").asText());
        }
    }

    @Test
    void concurrentRequestsAreBatchedAndEachGetsItsAloneAnswer() throws Exception {
        int n = 32;
        List<byte[]> pngs = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pngs.add(TestImages.png(100 + i, 64));
            expected.add(alone(pngs.get(i), "c" + i + ".png", CaptionOptions.defaults(), 0).get(0).text());
        }
        long batchesBefore = batchesAbove1("captioner");
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Http.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int j = i;
                answers.add(pool.submit(() -> Http.post(url + "/v1/caption",
                        new Http.Form().file("image", "c" + j + ".png", pngs.get(j)))));
            }
            for (int i = 0; i < n; i++) {
                Http.Answer a = answers.get(i).get();
                assertEquals(200, a.status(), a.body());
                assertEquals(expected.get(i), a.json().get("captions").get(0).get("caption").asText(), "request " + i);
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(batchesAbove1("captioner") > batchesBefore, "some requests were decoded together");
    }

    /** Batches of more than one request so far, from /metrics. */
    static long batchesAbove1(String worker) throws Exception {
        String m = Http.get(url + "/metrics").body();
        long count = metric(m, "blip_batch_size_count\\{worker=\"" + worker + "\"\\}");
        long ones = metric(m, "blip_batch_size_bucket\\{worker=\"" + worker + "\",le=\"1\"\\}");
        return count - ones;
    }

    static long metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + " (\\d+)").matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    @Test
    void itmAndEmbedEqualTheTaskApi() throws Exception {
        byte[] png = TestImages.png(3, 64);
        Http.Answer a = Http.post(url + "/v1/itm", new Http.Form().file("image", "i.png", png)
                .field("text", "a red circle").field("text", "two blue squares and a star"));
        assertEquals(200, a.status(), a.body());
        RgbImage img = ImageLoader.load(png, "i.png");
        org.blip4j.task.Matcher.PairScore[][] s = new org.blip4j.task.Matcher(matcher).scoreAll(List.of(img),
                List.of("a red circle", "two blue squares and a star"));
        for (int t = 0; t < 2; t++) {
            JsonNode r = a.json().get("results").get(t);
            assertEquals(s[0][t].itmProbability(), r.get("itm").asDouble(), 1e-5);
            assertEquals(s[0][t].itcCosine(), r.get("itc").asDouble(), 1e-5);
        }
        Http.Answer e = Http.post(url + "/v1/embed", new Http.Form().field("text", "a red circle"));
        assertEquals(200, e.status(), e.body());
        float[] expected = new Embedder(matcher).embedTexts(List.of("a red circle"))[0];
        float[] got = Http.JSON.convertValue(e.json().get("embedding"), float[].class);
        assertArrayEquals(expected, got, 1e-6f);
        Http.Answer ei = Http.post(url + "/v1/embed", new Http.Form().file("image", "i.png", png));
        assertArrayEquals(new Embedder(matcher).embedImages(List.of(img))[0],
                Http.JSON.convertValue(ei.json().get("embedding"), float[].class), 1e-6f);
    }

    @Test
    void vqaEqualsTheAnswererAlone() throws Exception {
        byte[] png = TestImages.png(4, 64);
        Http.Answer a = Http.post(url + "/v1/vqa", new Http.Form().file("image", "q.png", png)
                .field("question", "what color is the square?"));
        assertEquals(200, a.status(), a.body());
        String expected = new VisualQuestionAnswerer(vqa, VqaOptions.defaults(), null)
                .answer(ImageLoader.load(png, "q.png"), "what color is the square?").answer();
        assertEquals(expected, a.json().get("answer").asText());
        Http.Answer rank = Http.post(url + "/v1/vqa", new Http.Form().file("image", "q.png", png)
                .field("question", "how many?").field("mode", "rank").field("answers", "two")
                .field("answers", "red").field("answers", "a dog"));
        assertEquals(200, rank.status(), rank.body());
        assertTrue(List.of("two", "red", "a dog").contains(rank.json().get("answer").asText()));
    }

    @Test
    void searchReturnsTheExactTopKAndThumbnails() throws Exception {
        Http.Answer a = Http.post(url + "/v1/search", new Http.Form().field("text", "a red circle").field("k", "5"));
        assertEquals(200, a.status(), a.body());
        float[] q = new Embedder(matcher).embedTexts(List.of("a red circle"))[0];
        List<EmbeddingIndex.Hit> expected = index.exact("images", q, 5);
        assertEquals(5, a.json().get("results").size());
        for (int i = 0; i < 5; i++) {
            assertEquals(expected.get(i).id(), a.json().get("results").get(i).get("id").asText());
        }
        Http.Answer thumb = Http.get(url + "/v1/thumb?id=" + java.net.URLEncoder.encode(expected.get(0).id(),
                java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, thumb.status());
        assertEquals(404, Http.get(url + "/v1/thumb?id=%2Fetc%2Fpasswd").status(), "only indexed ids resolve");
        Path indexed = Path.of(expected.get(3).id());
        Http.Answer byImage = Http.post(url + "/v1/search", new Http.Form().file("image", "q.png",
                java.nio.file.Files.readAllBytes(indexed)).field("k", "3"));
        assertEquals(200, byImage.status(), byImage.body());
        assertEquals(indexed.toString(), byImage.json().get("results").get(0).get("id").asText());
        Http.Answer both = Http.post(url + "/v1/search", new Http.Form().field("k", "3"));
        assertEquals(400, both.status(), "neither text nor image");
        Http.Answer rr = Http.post(url + "/v1/search", new Http.Form().field("text", "a red circle").field("k", "5")
                .field("rerank", "3"));
        assertEquals(200, rr.status(), rr.body());
        assertNotNull(rr.json().get("results").get(0).get("itm"));
    }

    @Test
    void badInputGets4xxJsonNamingTheFieldAndTheServerKeepsServing() throws Exception {
        Http.Answer garbage = Http.post(url + "/v1/caption", new Http.Form().file("image", "x.png",
                "this is not an image".getBytes()));
        assertEquals(400, garbage.status());
        assertTrue(garbage.json().get("error").asText().contains("'image'"), garbage.body());

        Http.Answer missing = Http.post(url + "/v1/caption", new Http.Form().field("beams", "3"));
        assertEquals(400, missing.status());
        assertTrue(missing.json().get("error").asText().contains("'image'"), missing.body());

        Http.Answer badOption = Http.post(url + "/v1/caption", new Http.Form()
                .file("image", "a.png", TestImages.png(5, 64)).field("beams", "many"));
        assertEquals(400, badOption.status());
        assertTrue(badOption.json().get("error").asText().contains("'beams'"), badOption.body());

        Http.Answer range = Http.post(url + "/v1/caption", new Http.Form()
                .file("image", "a.png", TestImages.png(5, 64)).field("top_p", "7"));
        assertEquals(400, range.status());
        assertTrue(range.json().get("error").asText().contains("'top_p'"), range.body());

        Http.Answer noQuestion = Http.post(url + "/v1/vqa", new Http.Form().file("image", "a.png",
                TestImages.png(5, 64)));
        assertEquals(400, noQuestion.status());
        assertTrue(noQuestion.json().get("error").asText().contains("'question'"), noQuestion.body());

        Http.Answer big = Http.post(url + "/v1/caption", new Http.Form().file("image", "big.png",
                new byte[(int) MAX_UPLOAD + 4096]));
        assertEquals(413, big.status(), big.body());
        assertTrue(big.json().get("error").asText().contains("'image'"), big.body());
        Http.Answer huge = Http.post(url + "/v1/caption", new Http.Form().file("image", "huge.png",
                new byte[(int) MAX_UPLOAD + (3 << 20)]));
        assertEquals(413, huge.status(), huge.body());
        assertNotNull(huge.json().get("error"));

        Http.Answer unknown = Http.get(url + "/v2/nothing");
        assertEquals(404, unknown.status());
        assertNotNull(unknown.json().get("error"));

        Http.Answer ok = Http.post(url + "/v1/caption", new Http.Form().file("image", "a.png", TestImages.png(5, 64)));
        assertEquals(200, ok.status(), "still serving after bad requests: " + ok.body());
        Http.Answer health = Http.get(url + "/health");
        assertEquals("ok", health.json().get("status").asText());
    }

    @Test
    void pageAndMetricsAreServed() throws Exception {
        Http.Answer page = Http.get(url + "/");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("<input type=\"file\""), "the page uploads with a file input");
        assertEquals(200, Http.get(url + "/app.js").status());
        Http.post(url + "/v1/caption", new Http.Form().file("image", "m.png", TestImages.png(6, 64)));
        String m = Http.get(url + "/metrics").body();
        for (String name : List.of("blip_requests_total{endpoint=\"/v1/caption\",status=\"200\"}",
                "blip_request_duration_seconds_bucket{endpoint=\"/v1/caption\",le=\"+Inf\"}",
                "blip_batch_size_count{worker=\"captioner\"}", "blip_queue_depth{worker=\"captioner\"}",
                "blip_requests_in_flight")) {
            assertTrue(m.contains(name), name + " in\n" + m);
        }
    }
}
