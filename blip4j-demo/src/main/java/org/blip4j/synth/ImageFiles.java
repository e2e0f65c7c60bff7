package org.blip4j.synth;

import org.blip4j.util.AtomicFiles;
import org.blip4j.util.DaemonThreads;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Renders scenes to PNG files in parallel; each file is written atomically, so a crash leaves no torn image. */
final class ImageFiles {
    /** One image to produce: its path relative to the output directory and its scene. */
    record Job(String relativePath, Scene scene) {
    }

    private ImageFiles() {
    }

    static void renderAll(Path outDir, List<Job> jobs, int imageSize, int threads) throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(threads, DaemonThreads.named("synth-render"));
        try {
            // Contiguous chunks, one task each: few futures, and each thread writes neighbouring files.
            int chunk = Math.max(1, (jobs.size() + 4 * threads - 1) / (4 * threads));
            List<Future<Void>> futures = new ArrayList<>();
            for (int from = 0; from < jobs.size(); from += chunk) {
                List<Job> part = jobs.subList(from, Math.min(jobs.size(), from + chunk));
                futures.add(pool.submit(() -> {
                    for (Job j : part) {
                        writePng(outDir.resolve(j.relativePath()), SceneRenderer.render(j.scene(), imageSize));
                    }
                    return null;
                }));
            }
            for (Future<Void> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while rendering images", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("rendering failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    static void writePng(Path file, BufferedImage img) throws IOException {
        AtomicFiles.write(file, out -> encodePng(img, out));
    }

    /** PNG through an in-memory stream: ImageIO's default file cache would create temp files per image. */
    static void encodePng(BufferedImage img, OutputStream out) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IOException("no PNG writer available in ImageIO");
        }
        ImageWriter writer = writers.next();
        try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(img);
        } finally {
            writer.dispose();
        }
    }
}
