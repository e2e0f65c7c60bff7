package org.blip4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.blip4j.task.Blip;
import org.junit.jupiter.api.Test;

/** Past --queue requests in flight the server answers 503 with Retry-After, and serves again once drained. */
class QueueLimitTest {
    @Test
    void overflowGets503WithRetryAfter() throws Exception {
        try (Blip captioner = Blip.load("builtin:shapes-captioner")) {
            ServeOptions d = ServeOptions.defaults();
            ServeOptions o = new ServeOptions("127.0.0.1", 0, 1, 0, 2, d.maxUploadBytes(), d.maxPixels(),
                    d.maxInFlightImageBytes(), 16);
            try (BlipServer server = BlipServer.start(new ServedModels(captioner, null, null, null), o)) {
                ExecutorService pool = Executors.newFixedThreadPool(12);
                List<Future<Http.Answer>> answers = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    int j = i;
                    answers.add(pool.submit(() -> Http.post(server.url() + "/v1/caption", new Http.Form()
                            .file("image", "q" + j + ".png", TestImages.png(j, 64)).field("beams", "8")
                            .field("max_length", "40").field("min_length", "40"))));
                }
                int ok = 0;
                int busy = 0;
                for (Future<Http.Answer> f : answers) {
                    Http.Answer a = f.get();
                    if (a.status() == 200) {
                        ok++;
                    } else {
                        assertEquals(503, a.status(), a.body());
                        assertEquals("1", a.response().headers().firstValue("Retry-After").orElse(null));
                        assertTrue(a.json().get("error").asText().contains("busy"), a.body());
                        busy++;
                    }
                }
                pool.shutdownNow();
                assertTrue(ok >= 2 && busy >= 1, ok + " answered, " + busy + " refused");
                assertEquals(200, Http.post(server.url() + "/v1/caption", new Http.Form()
                        .file("image", "after.png", TestImages.png(99, 64))).status());
            }
        }
    }
}
