package org.blip4j.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An NLVR2 annotation file in the official layout ({@code nlvr_train.json}, {@code nlvr_dev.json},
 * {@code nlvr_test.json}): {@code [{"images": [left, right], "sentence": str, "label": "True" | "False"}]}, image
 * paths relative to an image root. As {@code data/nlvr_dataset.py}: target 1 iff the label is the string "True".
 */
public final class NlvrAnnotations {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One annotated pair. {@code label} is null when the file has none (prediction only).
     */
    public record Item(int index, Path image0, Path image1, String image0Name, String image1Name, String sentence,
                       Boolean label) {
    }

    private NlvrAnnotations() {
    }

    /** Reads every record; a malformed record is an error naming the file and the record's index. */
    public static List<Item> read(Path file, Path imageRoot) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IOException(file + ": an NLVR2 annotation file is a JSON array of {images, sentence, label}");
        }
        Path base = imageRoot.toAbsolutePath().normalize();
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode r = root.get(i);
            String where = file + ": record " + i;
            JsonNode images = r.path("images");
            if (!images.isArray() || images.size() != 2 || !images.get(0).isTextual() || !images.get(1).isTextual()) {
                throw new IOException(where + ": 'images' must be a list of two image paths");
            }
            if (!r.path("sentence").isTextual()) {
                throw new IOException(where + ": 'sentence' must be a string");
            }
            JsonNode l = r.get("label");
            Boolean label = null;
            if (l != null && !l.isNull()) {
                if (!l.isTextual()) {
                    throw new IOException(where + ": 'label' must be the string \"True\" or \"False\"");
                }
                label = l.asText().equals("True");
            }
            String a = images.get(0).asText();
            String b = images.get(1).asText();
            out.add(new Item(i, resolve(base, a, where), resolve(base, b, where), a, b, r.get("sentence").asText(),
                    label));
        }
        return out;
    }

    /** The image path under the root; absolute paths and paths leaving the root are refused. */
    static Path resolve(Path base, String name, String where) throws IOException {
        Path p = base.resolve(name).normalize();
        if (Path.of(name).isAbsolute() || !p.startsWith(base)) {
            throw new IOException(where + ": image path '" + name + "' leaves the image root " + base);
        }
        return p;
    }
}
