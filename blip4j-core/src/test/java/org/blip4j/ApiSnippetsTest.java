package org.blip4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The docs/API.md snippets run on the builtin shapes models (VQA needs a VQA model: compiled only). */
class ApiSnippetsTest {
    static final String CAPTIONER = "builtin:shapes-captioner";
    static final String FILTER = "builtin:shapes-filter";

    @TempDir
    Path tmp;

    @Test
    void captionMatchEmbedAndRetrievalSnippetsRun() throws Exception {
        List<Path> images = drawShapes(tmp);
        String out = stdout(() -> ApiSnippets.caption(CAPTIONER, images.get(0)));
        assertTrue(out.trim().split(" ").length >= 2, out);

        out = stdout(() -> ApiSnippets.match(FILTER, images.get(0), List.of("a red circle", "a blue square")));
        assertEquals(2, out.lines().filter(l -> l.contains("ITM") && l.contains("ITC cosine")).count(), out);

        float[][][] vectors = new float[1][][];
        out = stdout(() -> vectors[0] = ApiSnippets.embed(FILTER, images, "a red circle"));
        assertEquals(images.size(), vectors[0].length);
        assertEquals(images.size(), out.lines().count(), out);

        Path annotations = tmp.resolve("test.json");
        Files.writeString(annotations, "[" + String.join(",", images.stream().map(p -> "{\"image\": \""
                + p.getFileName() + "\", \"caption\": [\"" + describe(p) + "\"]}").toList()) + "]");
        out = stdout(() -> ApiSnippets.retrieval(FILTER, annotations, tmp));
        assertTrue(out.contains("txt_r1") && out.contains("img_r_mean"), out);
    }

    @Test
    void finetuneAndCapfiltSnippetsRun() throws Exception {
        List<Path> images = drawShapes(tmp);
        Path train = tmp.resolve("train.json");
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            entries.add("{\"image\": \"" + images.get(i).getFileName() + "\", \"caption\": \"" + describe(images.get(i))
                    + "\", \"image_id\": \"" + i + "\"}");
        }
        Files.writeString(train, "[" + String.join(",", entries) + "]");
        Path model = ApiSnippets.finetuneCaptioner(train, tmp, tmp.resolve("run"));
        assertTrue(Files.isRegularFile(model.resolve("model.safetensors")), model.toString());

        String out = stdout(() -> ApiSnippets.capfilt(train, tmp, tmp.resolve("capfilt")));
        assertTrue(out.startsWith("noise ratio "), out);
        assertTrue(Files.isDirectory(tmp.resolve("capfilt")));
    }

    interface Snippet {
        void run() throws Exception;
    }

    /** What a snippet prints. */
    static String stdout(Snippet s) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            s.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    static final String[] COLOURS = {"red", "blue", "green", "yellow"};
    static final Color[] AWT = {Color.RED, Color.BLUE, Color.GREEN, Color.YELLOW};

    static String describe(Path p) {
        String name = p.getFileName().toString();
        return "a " + name.substring(0, name.indexOf('-')) + " " + name.substring(name.indexOf('-') + 1,
                name.indexOf('.'));
    }

    /** Eight 64x64 PNGs named COLOUR-SHAPE.png: circles and squares in four colours. */
    static List<Path> drawShapes(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            boolean circle = i < 4;
            BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, 64, 64);
            g.setColor(AWT[i % 4]);
            if (circle) {
                g.fillOval(16, 16, 32, 32);
            } else {
                g.fillRect(16, 16, 32, 32);
            }
            g.dispose();
            Path f = dir.resolve(COLOURS[i % 4] + "-" + (circle ? "circle" : "square") + ".png");
            ImageIO.write(img, "png", f.toFile());
            out.add(f);
        }
        return out;
    }
}
