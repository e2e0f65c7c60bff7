package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.blip4j.checkpoint.Safetensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code blip serve --captioner builtin:shapes-captioner --matcher builtin:shapes-filter} answers as the
 * {@code caption}, {@code itm} and {@code embed} commands do for the same image and options, under concurrency too,
 * and keeps serving after a garbage upload.
 */
class ServeCommandTest {
    @TempDir
    static Path tmp;

    static Thread serving;
    static String url;
    static Path images;

    @BeforeAll
    static void startServer() throws Exception {
        images = tmp.resolve("images");
        ServeTestSupport.writeImages(images, 32, 2);
        int port = ServeTestSupport.freePort();
        String[] args = {"serve", "--captioner", "builtin:shapes-captioner", "--matcher", "builtin:shapes-filter",
            "--port", Integer.toString(port), "--batch-wait-ms", "20", "--max-seconds", "300"};
        serving = new Thread(() -> Main.commandLine(args).execute(args), "serve-under-test");
        serving.setDaemon(true);
        serving.start();
        url = "http://127.0.0.1:" + port;
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                if (ServeTestSupport.get(url + "/health").status() == 200) {
                    break;
                }
            } catch (java.io.IOException e) {
                if (System.currentTimeMillis() > deadline || !serving.isAlive()) {
                    throw new AssertionError("server did not start", e);
                }
            }
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        serving.interrupt(); // ServeCommand stops its server and closes its models when interrupted
        serving.join(30_000);
    }

    static Path image(int i) {
        return images.resolve(String.format("img_%03d.png", i));
    }

    @Test
    void captionEqualsTheCaptionCommand() throws Exception {
        var cli = CliRunner.run("caption", "--model", "builtin:shapes-captioner", "--json", image(0).toString());
        assertEquals(0, cli.exit(), cli.err());
        JsonNode expected = ServeTestSupport.JSON.readTree(cli.out().trim());
        JsonNode got = ServeTestSupport.post(url + "/v1/caption", "image", image(0)).json().get("captions").get(0);
        assertEquals(expected.get("caption").asText(), got.get("caption").asText());
        assertEquals(expected.get("score").asDouble(), got.get("score").asDouble(), 1e-5);
    }

    @Test
    void sampledCaptionsEqualTheCommandsForTheSameSeedAndName() throws Exception {
        var cli = CliRunner.run("caption", "--model", "builtin:shapes-captioner", "--json", "--sample", "--seed", "11",
                "--num-captions", "2", image(1).toString());
        assertEquals(0, cli.exit(), cli.err());
        List<String> lines = cli.out().lines().toList();
        // the upload's file name is the key its seed derives from, as the command's path is
        JsonNode got = ServeTestSupport.post(url + "/v1/caption", "image", image(1), "sample", "true", "seed", "11",
                "num_captions", "2").json().get("captions");
        for (int i = 0; i < 2; i++) {
            assertEquals(ServeTestSupport.JSON.readTree(lines.get(i)).get("caption").asText(),
                    got.get(i).get("caption").asText());
        }
    }

    @Test
    void thirtyTwoConcurrentRequestsGetTheirAloneAnswers() throws Exception {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            files.add(image(i).toString());
        }
        List<String> args = new ArrayList<>(List.of("caption", "--model", "builtin:shapes-captioner", "--batch-size",
                "1"));
        args.addAll(files);
        var cli = CliRunner.run(args.toArray(new String[0]));
        assertEquals(0, cli.exit(), cli.err());
        List<String> expected = cli.out().lines().map(l -> l.split("\t")[1]).toList();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<ServeTestSupport.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                Path p = image(i);
                answers.add(pool.submit(() -> ServeTestSupport.post(url + "/v1/caption", "image", p)));
            }
            for (int i = 0; i < 32; i++) {
                ServeTestSupport.Answer a = answers.get(i).get();
                assertEquals(200, a.status(), a.body());
                assertEquals(expected.get(i), a.json().get("captions").get(0).get("caption").asText(), "image " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void itmAndEmbedEqualTheCommands() throws Exception {
        // texts already in pre_caption form, so the comparison holds whichever text cleaning the command defaults to
        List<String> texts = List.of("a red circle", "a blue square and a green circle");
        var cli = CliRunner.run("itm", "--model", "builtin:shapes-filter", "--image", image(2).toString(), "--text",
                texts.get(0), texts.get(1), "--json");
        assertEquals(0, cli.exit(), cli.err());
        JsonNode got = ServeTestSupport.post(url + "/v1/itm", "image", image(2), "text", texts.get(0), "text",
                texts.get(1)).json().get("results");
        List<String> lines = cli.out().lines().toList();
        for (int t = 0; t < 2; t++) {
            JsonNode e = ServeTestSupport.JSON.readTree(lines.get(t));
            assertEquals(e.get("itm").asDouble(), got.get(t).get("itm").asDouble(), 1e-5);
            assertEquals(e.get("itc").asDouble(), got.get(t).get("itc").asDouble(), 1e-5);
        }
        Path out = tmp.resolve("emb.safetensors");
        var emb = CliRunner.run("embed", "--model", "builtin:shapes-filter", "--image", image(3).toString(), "--out",
                out.toString());
        assertEquals(0, emb.exit(), emb.err());
        float[] expected = Safetensors.read(out).get("embeddings").toFloats();
        float[] vector = ServeTestSupport.JSON.convertValue(ServeTestSupport.post(url + "/v1/embed", "image",
                image(3)).json().get("embedding"), float[].class);
        assertArrayEquals(expected, vector, 1e-6f);
    }

    @Test
    void garbageUploadGets400JsonAndTheServerKeepsServing() throws Exception {
        ServeTestSupport.Answer bad = ServeTestSupport.post(url + "/v1/caption", "image",
                "GIF89a but not really".getBytes());
        assertEquals(400, bad.status());
        assertTrue(bad.json().get("error").asText().contains("'image'"), bad.body());
        assertEquals(200, ServeTestSupport.post(url + "/v1/caption", "image", image(4)).status());
        ServeTestSupport.Answer page = ServeTestSupport.get(url + "/");
        assertEquals(200, page.status());
        assertTrue(page.body().contains("<input type=\"file\""));
        assertTrue(Files.exists(image(4)));
    }
}
