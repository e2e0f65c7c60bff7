package org.blip4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import javax.imageio.ImageIO;

/** Shape images and a loopback multipart client for the serve/index/search command tests. */
final class ServeTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private ServeTestSupport() {
    }

    /** n PNGs of coloured shapes, img_000.png..., different per index. */
    static void writeImages(Path dir, int n, long seed) throws IOException {
        Files.createDirectories(dir);
        Color[] colours = {Color.RED, Color.BLUE, Color.GREEN, Color.ORANGE, Color.MAGENTA, Color.BLACK};
        for (int i = 0; i < n; i++) {
            Random r = new Random(seed * 1000 + i);
            BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, 64, 64);
            for (int s = 0; s < 1 + r.nextInt(3); s++) {
                g.setColor(colours[r.nextInt(colours.length)]);
                int w = 12 + r.nextInt(16);
                int x = r.nextInt(64 - w);
                int y = r.nextInt(64 - w);
                if (r.nextBoolean()) {
                    g.fillOval(x, y, w, w);
                } else {
                    g.fillRect(x, y, w, w);
                }
            }
            g.dispose();
            ImageIO.write(img, "png", dir.resolve(String.format("img_%03d.png", i)).toFile());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    record Answer(int status, String body) {
        JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /** POSTs a multipart form: pairs of (name, value); a Path value is sent as a file upload named by its path. */
    static Answer post(String url, Object... fields) throws IOException, InterruptedException {
        String boundary = "blipcli" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int i = 0; i < fields.length; i += 2) {
            String name = (String) fields[i];
            if (fields[i + 1] instanceof Path p) {
                body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                        + "\"; filename=\"" + p + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
                body.writeBytes(Files.readAllBytes(p));
                body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            } else if (fields[i + 1] instanceof byte[] raw) {
                body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                        + "\"; filename=\"upload.bin\"\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                body.writeBytes(raw);
                body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
            } else {
                body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n"
                        + fields[i + 1] + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        HttpResponse<String> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    static Answer get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }
}
