package org.blip4j.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;
import org.jcodec.api.FrameGrab;
import org.jcodec.api.JCodecException;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.io.SeekableByteChannel;
import org.jcodec.common.model.Picture;
import org.jcodec.scale.AWTUtil;

/**
 * Reads the uniformly sampled frames of a video ({@link FrameSampling}): an MP4 (H.264) file decoded with jcodec,
 * a pure-Java decoder (no native FFmpeg to install, BSD-2-Clause), or a directory of frame images (sorted by file
 * name) as the fallback for other containers: extract them with any tool, e.g.
 * {@code ffmpeg -i clip.webm clip/%05d.png}.
 */
public final class VideoFrames {
    private static final List<String> FRAME_EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".webp");

    private VideoFrames() {
    }

    /** {@code n} frames of the video or frames directory at {@code path}. */
    public static List<RgbImage> sample(Path path, int n) {
        return Files.isDirectory(path) ? fromDirectory(path, n) : decode(path, n);
    }

    static List<RgbImage> fromDirectory(Path dir, int n) {
        List<Path> frames;
        try (Stream<Path> s = Files.list(dir)) {
            frames = s.filter(p -> Files.isRegularFile(p) && isFrame(p)).sorted().toList();
        } catch (IOException e) {
            throw new VideoDecodeException(dir.toString(), "cannot list the frames directory: " + e.getMessage(), e);
        }
        if (frames.isEmpty()) {
            throw new VideoDecodeException(dir.toString(), "frames directory holds no " + FRAME_EXTENSIONS + " file");
        }
        List<RgbImage> out = new ArrayList<>(n);
        for (int i : FrameSampling.uniform(frames.size(), n)) {
            try {
                out.add(ImageLoader.load(frames.get(i)));
            } catch (RuntimeException e) {
                throw new VideoDecodeException(dir.toString(), "frame " + frames.get(i).getFileName() + ": "
                        + e.getMessage(), e);
            }
        }
        return out;
    }

    private static boolean isFrame(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return FRAME_EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    static List<RgbImage> decode(Path file, int n) {
        if (!Files.isRegularFile(file)) {
            throw new VideoDecodeException(file.toString(), "no such video file or frames directory");
        }
        try (SeekableByteChannel ch = NIOUtils.readableChannel(file.toFile())) {
            FrameGrab grab = FrameGrab.createFrameGrab(ch);
            int total = grab.getVideoTrack().getMeta().getTotalFrames();
            int[] wanted = FrameSampling.uniform(total, n);
            List<RgbImage> out = new ArrayList<>(n);
            int at = -1;
            RgbImage current = null;
            for (int index : wanted) {
                if (index != at) {
                    if (index != at + 1) {
                        grab.seekToFramePrecise(index);
                    }
                    Picture pic = grab.getNativeFrame();
                    if (pic == null) {
                        throw new VideoDecodeException(file.toString(), "frame " + index + " of " + total
                                + " could not be decoded");
                    }
                    current = toRgb(AWTUtil.toBufferedImage(pic), file);
                    at = index;
                }
                out.add(current);
            }
            return out;
        } catch (IOException | JCodecException | RuntimeException e) {
            if (e instanceof VideoDecodeException v) {
                throw v;
            }
            throw new VideoDecodeException(file.toString(), "not a readable MP4/H.264 video (" + e + "); decode it"
                    + " to a directory of frames instead", e);
        }
    }

    private static RgbImage toRgb(BufferedImage img, Path source) {
        int w = img.getWidth();
        int h = img.getHeight();
        if ((long) w * h > ImageLoader.DEFAULT_MAX_PIXELS) {
            throw new VideoDecodeException(source.toString(), "frame of " + w + "x" + h + " pixels is too large");
        }
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int o = (y * w + x) * 3;
                rgb[o] = (byte) (p >> 16);
                rgb[o + 1] = (byte) (p >> 8);
                rgb[o + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, rgb);
    }
}
