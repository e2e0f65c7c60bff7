package org.blip4j.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One {@link Captioner} (and one {@link Matcher}) used from 8 threads at once gives every caller exactly the answer a
 * single thread gets: the thread-safety promise of docs/API.md.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedModelThreadsTest {
    static final int THREADS = 8;
    static final int ROUNDS = 2;

    @Test
    void oneCaptionerFromEightThreadsGivesTheSingleThreadedCaptions() throws Exception {
        List<RgbImage> images = shapes();
        try (Blip blip = Blip.load("builtin:shapes-captioner")) {
            Captioner captioner = new Captioner(blip);
            List<Caption> expected = new ArrayList<>();
            for (RgbImage image : images) {
                expected.add(captioner.caption(List.of(image)).get(0).get(0));
            }
            // distinct answers, so a thread handed another thread's result would be caught
            assertEquals(images.size(), expected.stream().map(Caption::text).distinct().count(),
                    expected.stream().map(Caption::text).toList().toString());
            List<List<Caption>> perThread = runConcurrently(thread -> {
                List<Caption> got = new ArrayList<>();
                for (int r = 0; r < ROUNDS; r++) {
                    for (int k = 0; k < images.size(); k++) {
                        // each thread walks the images from its own offset, so different images decode at once
                        int i = (k + thread) % images.size();
                        got.add(captioner.caption(List.of(images.get(i))).get(0).get(0));
                    }
                }
                return got;
            });
            for (int t = 0; t < THREADS; t++) {
                for (int n = 0; n < perThread.get(t).size(); n++) {
                    Caption want = expected.get((n % images.size() + t) % images.size());
                    Caption got = perThread.get(t).get(n);
                    assertEquals(want.text(), got.text(), "thread " + t + " call " + n);
                    assertEquals(want.score(), got.score(), 0.0, "thread " + t + " call " + n);
                    assertArrayEquals(want.tokens(), got.tokens(), "thread " + t + " call " + n);
                }
            }
        }
    }

    @Test
    void oneMatcherFromEightThreadsGivesTheSingleThreadedScores() throws Exception {
        List<RgbImage> images = shapes();
        List<String> texts = List.of("a red circle", "a blue square", "a small green triangle on the left");
        try (Blip blip = Blip.load("builtin:shapes-filter")) {
            Matcher matcher = new Matcher(blip);
            Matcher.PairScore[][] expected = matcher.scoreAll(images, texts);
            List<Matcher.PairScore[][]> perThread = runConcurrently(thread -> matcher.scoreAll(images, texts));
            for (int t = 0; t < THREADS; t++) {
                for (int i = 0; i < images.size(); i++) {
                    assertArrayEquals(expected[i], perThread.get(t)[i], "thread " + t + " image " + i);
                }
            }
        }
    }

    interface PerThread<T> {
        T call(int thread) throws Exception;
    }

    /** Runs {@code work} on THREADS threads released together; results in thread order. */
    static <T> List<T> runConcurrently(PerThread<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                Callable<T> task = () -> {
                    start.await();
                    return work.call(thread);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(50, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Eight distinct 64x64 scenes: a coloured shape on a plain background, through the PNG decoder. */
    static List<RgbImage> shapes() throws IOException {
        Color[] colours = {Color.RED, Color.BLUE, Color.GREEN, Color.YELLOW, Color.MAGENTA, Color.ORANGE, Color.CYAN,
            Color.PINK};
        List<RgbImage> out = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(i % 2 == 0 ? Color.WHITE : Color.BLACK);
            g.fillRect(0, 0, 64, 64);
            g.setColor(colours[i]);
            int size = 16 + 4 * i;
            if (i % 3 == 0) {
                g.fillOval(8 + i, 10, size, size);
            } else if (i % 3 == 1) {
                g.fillRect(30 - i, 20, size, size);
            } else {
                g.fillPolygon(new int[] {32, 32 - size / 2, 32 + size / 2}, new int[] {8, 8 + size, 8 + size}, 3);
            }
            g.dispose();
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(img, "png", png);
            out.add(ImageLoader.load(png.toByteArray(), "shape " + i));
        }
        return out;
    }
}
