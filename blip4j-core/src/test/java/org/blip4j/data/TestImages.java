package org.blip4j.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/** Small generated images and sample lists for the data tests. */
final class TestImages {
    private TestImages() {
    }

    static byte[] encode(String format, int w, int h, long seed) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rnd.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Random bytes that no decoder accepts. */
    static byte[] garbage(long seed) {
        byte[] b = new byte[200];
        new Random(seed).nextBytes(b);
        b[0] = 'x';
        return b;
    }

    /** A JPEG cut in half. */
    static byte[] truncatedJpeg(long seed) {
        byte[] full = encode("jpg", 24, 20, seed);
        return Arrays.copyOf(full, full.length / 2);
    }

    /**
     * {@code n} file samples under {@code dir}; positions in {@code missing} have no file, in {@code corrupt}
     * hold garbage or a truncated JPEG. Image ids are {@code i / 2} (two captions per image).
     */
    static List<Sample> fileSamples(Path dir, int n, List<Integer> missing, List<Integer> corrupt) {
        List<Sample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path file = dir.resolve("img" + i + ".png");
            if (corrupt.contains(i)) {
                write(file, i % 2 == 0 ? garbage(i) : truncatedJpeg(i));
            } else if (!missing.contains(i)) {
                write(file, encode("png", 20 + i % 5, 18 + i % 3, i));
            }
            out.add(new Sample("s" + i, new ImageSource.File(file), List.of("caption " + i), i / 2, i));
        }
        return out;
    }
}
