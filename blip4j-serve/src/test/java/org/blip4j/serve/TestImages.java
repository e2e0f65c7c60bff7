package org.blip4j.serve;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Small PNGs of coloured shapes on a plain background, different for every seed (test inputs). */
public final class TestImages {
    private static final Color[] COLOURS = {Color.RED, Color.BLUE, Color.GREEN, Color.ORANGE, Color.MAGENTA,
        Color.YELLOW, Color.CYAN, Color.BLACK};

    private TestImages() {
    }

    public static byte[] png(long seed, int size) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(200 + r.nextInt(56), 200 + r.nextInt(56), 200 + r.nextInt(56)));
        g.fillRect(0, 0, size, size);
        int shapes = 1 + r.nextInt(3);
        for (int i = 0; i < shapes; i++) {
            g.setColor(COLOURS[r.nextInt(COLOURS.length)]);
            int w = size / 5 + r.nextInt(size / 4);
            int x = r.nextInt(size - w);
            int y = r.nextInt(size - w);
            switch (r.nextInt(3)) {
                case 0 -> g.fillOval(x, y, w, w);
                case 1 -> g.fillRect(x, y, w, w);
                default -> g.fillPolygon(new int[] {x, x + w / 2, x + w}, new int[] {y + w, y, y + w}, 3);
            }
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@code n} images {@code img_000.png}... into {@code dir}. */
    public static void write(Path dir, int n, int size, long seed) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < n; i++) {
            Files.write(dir.resolve(String.format("img_%03d.png", i)), png(seed * 1000 + i, size));
        }
    }
}
