package org.blip4j.spark;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.blip4j.data.WebDatasetWriter;

/**
 * A small web dataset as img2dataset shards ({@code 00000.tar} ...): coloured shapes with captions, some wrong.
 * The last shard but one holds a corrupt image member, the last shard is not a tar at all.
 */
final class ShardWorld {
    private static final String[] COLOURS = {"red", "green", "blue", "yellow"};
    private static final Color[] RGB = {Color.RED, Color.GREEN, Color.BLUE, Color.YELLOW};
    private static final String[] SHAPES = {"square", "circle"};

    private ShardWorld() {
    }

    /** @return the pattern of all shards, e.g. {@code DIR/{00000..00005}.tar} */
    static String write(Path dir, int shards, int perShard, long seed) throws IOException {
        Random rnd = new Random(seed);
        try (WebDatasetWriter w = WebDatasetWriter.open(dir, "", perShard)) {
            for (int s = 0; s < shards - 1; s++) {
                for (int i = 0; i < perShard; i++) {
                    String key = String.format("%05d%04d", s, i);
                    if (s == shards - 2 && i == 1) {
                        w.write(key, "not a png".getBytes(StandardCharsets.UTF_8), "png", "broken", Map.of());
                        continue;
                    }
                    int c = rnd.nextInt(COLOURS.length);
                    int sh = rnd.nextInt(SHAPES.length);
                    String caption = rnd.nextInt(4) == 0 ? "buy cheap watches online"
                            : "a " + COLOURS[c] + " " + SHAPES[sh];
                    w.write(key, png(RGB[c], sh == 1, rnd), "png", caption, Map.of("url", "http://example/" + key));
                }
            }
            w.finish();
        }
        Files.write(dir.resolve(String.format("%05d.tar", shards - 1)), "garbage, not a tar".getBytes());
        return dir.resolve(String.format("{00000..%05d}.tar", shards - 1)).toString();
    }

    private static byte[] png(Color c, boolean circle, Random rnd) throws IOException {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(rnd.nextInt(40), rnd.nextInt(40), rnd.nextInt(40)));
        g.fillRect(0, 0, 32, 32);
        g.setColor(c);
        int x = 4 + rnd.nextInt(8);
        int y = 4 + rnd.nextInt(8);
        if (circle) {
            g.fillOval(x, y, 16, 16);
        } else {
            g.fillRect(x, y, 16, 16);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    static List<String> capfiltArgs(String pattern, Path out) {
        return new java.util.ArrayList<>(List.of("capfilt", "--captioner", "builtin:shapes-captioner", "--filter",
                "builtin:shapes-filter", "--data", pattern, "--out", out.toString(), "--threads", "1",
                "--batch-size", "4", "--seed", "11", "--shards"));
    }
}
