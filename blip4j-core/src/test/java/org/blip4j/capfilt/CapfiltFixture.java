package org.blip4j.capfilt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.blip4j.testutil.Fixtures;

/** A small CapFilt input over tiny-a's 4 images: 12 web records (one with two texts) and 2 human records. */
final class CapfiltFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] IMAGES = {"img0_blocks_64x64.png", "img1_gradient_64x64.png",
        "img2_nonsquare_150x110.png", "img3_gray_50x40.png"};
    static final String[] TEXTS = {"a red block on a blue table", "a gradient from dark to light",
        "a wide picture of nothing", "a small gray square", "buy cheap watches online", "two cats"};

    final Path root;
    final Path images;
    final Path web;
    final Path human;

    CapfiltFixture(Path root) throws IOException {
        this.root = root;
        this.images = root.resolve("images");
        Files.createDirectories(images);
        for (String name : IMAGES) {
            Files.copy(Fixtures.tinyA().resolve("images").resolve(name), images.resolve(name));
        }
        this.web = root.resolve("web.json");
        ArrayNode w = JSON.createArrayNode();
        for (int i = 0; i < 12; i++) {
            var rec = w.addObject().put("image", "images/" + IMAGES[i % 4]);
            if (i == 7) {
                rec.putArray("caption").add(TEXTS[1]).add(TEXTS[4]);
            } else {
                rec.put("caption", TEXTS[i % TEXTS.length]);
            }
        }
        JSON.writeValue(web.toFile(), w);
        this.human = root.resolve("human.json");
        ArrayNode h = JSON.createArrayNode();
        h.addObject().put("image", "images/" + IMAGES[0]).putArray("caption").add("blocks").add("colour blocks");
        h.addObject().put("image", "images/" + IMAGES[3]).put("caption", "a gray image");
        JSON.writeValue(human.toFile(), h);
    }

    /** Replaces web.json with {@code n} records cycling the 4 images and the texts, streamed (n may be 100k). */
    void writeCyclingWeb(int n) throws IOException {
        try (com.fasterxml.jackson.core.JsonGenerator g = JSON.getFactory().createGenerator(web.toFile(),
                com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
            g.writeStartArray();
            for (int i = 0; i < n; i++) {
                g.writeStartObject();
                g.writeStringField("image", "images/" + IMAGES[i % 4]);
                g.writeStringField("caption", TEXTS[i % TEXTS.length]);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }

    CapfiltConfig config(Path out) {
        return new CapfiltConfig("tiny-a", "tiny-a", web, root, human, out, null, 5, false);
    }

    /** The bootstrapped records keyed by source/index/text, for set comparison. */
    static TreeMap<String, JsonNode> records(Path out) throws IOException {
        TreeMap<String, JsonNode> m = new TreeMap<>();
        for (JsonNode n : JSON.readTree(out.resolve("bootstrapped.json").toFile())) {
            String key = n.get("source").asText() + "_" + n.get("source_index").asInt() + "_"
                    + n.get("text_index").asInt();
            if (m.put(key, n) != null) {
                throw new AssertionError("duplicate record " + key);
            }
        }
        return m;
    }

    /** Every line of every part file (kept and removed). */
    static List<JsonNode> partLines(Path out) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        try (Stream<Path> s = Files.list(out.resolve("parts"))) {
            for (Path p : s.sorted().toList()) {
                for (String line : Files.readAllLines(p)) {
                    lines.add(JSON.readTree(line));
                }
            }
        }
        return lines;
    }
}
