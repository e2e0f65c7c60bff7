package org.blip4j.vqa;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.blip4j.util.JsonLimits;

/**
 * Reads the questions to answer, in either of two layouts:
 * <ul>
 *   <li>VQA v2 {@code {"questions": [{"question_id", "image_id", "question", "image"?}]}}: without an
 *       {@code image} field the image is the file under the image root whose name ends in the image id
 *       ({@code COCO_val2014_000000391895.jpg} for 391895);</li>
 *   <li>BLIP's {@code vqa_test.json}: {@code [{"question_id", "image", "question"}]}.</li>
 * </ul>
 * {@code image} paths are relative to the image root.
 */
public final class VqaQuestionFile {
    private static final ObjectMapper MAPPER = JsonLimits.dataMapper();
    private static final Pattern TRAILING_NUMBER = Pattern.compile("(\\d+)$");
    private static final List<String> IMAGE_EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp");

    private final Path file;
    private final Path imageRoot;
    private Map<Long, List<Path>> imagesById;

    private VqaQuestionFile(Path file, Path imageRoot) {
        this.file = file;
        this.imageRoot = imageRoot;
    }

    public static List<VqaQuestion> read(Path file, Path imageRoot) throws IOException {
        return new VqaQuestionFile(file, imageRoot).read();
    }

    private List<VqaQuestion> read() throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read question file " + file + ": " + e.getMessage(), e);
        }
        JsonNode list = root != null && root.isObject() ? root.get("questions") : root;
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException(file + ": expected {\"questions\": [...]} (VQA v2) or a JSON array"
                    + " of {\"question_id\", \"image\", \"question\"} (BLIP)");
        }
        List<VqaQuestion> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = file + " [" + i + "]";
            JsonNode q = list.get(i);
            if (!q.isObject()) {
                throw new IllegalArgumentException(where + ": expected an object, got " + q);
            }
            out.add(new VqaQuestion(id(q, "question_id", where), text(q, "question", where), image(q, where)));
        }
        return out;
    }

    private Path image(JsonNode q, String where) throws IOException {
        JsonNode image = q.get("image");
        if (image != null && image.isTextual()) {
            return imageRoot.resolve(image.asText());
        }
        if (q.get("image_id") == null) {
            throw new IllegalArgumentException(where + ": needs an \"image\" path or an \"image_id\"");
        }
        long id = id(q, "image_id", where);
        List<Path> found = imagesById().getOrDefault(id, List.of());
        if (found.size() != 1) {
            throw new IllegalArgumentException(where + ": image_id " + id + (found.isEmpty()
                    ? " matches no image file under " + imageRoot + " (names must end in the id)"
                    : " matches several files: " + found));
        }
        return found.get(0);
    }

    /** Image files under the root by the number their name ends in, built on first use. */
    private Map<Long, List<Path>> imagesById() throws IOException {
        if (imagesById == null) {
            if (!Files.isDirectory(imageRoot)) {
                throw new IOException("image root " + imageRoot + " is not a directory");
            }
            imagesById = new HashMap<>();
            try (Stream<Path> s = Files.walk(imageRoot)) {
                for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
                    Long id = trailingNumber(p.getFileName().toString());
                    if (id != null) {
                        imagesById.computeIfAbsent(id, k -> new ArrayList<>()).add(p);
                    }
                }
            }
        }
        return imagesById;
    }

    static Long trailingNumber(String name) {
        int dot = name.lastIndexOf('.');
        if (dot <= 0 || !IMAGE_EXTENSIONS.contains(name.substring(dot).toLowerCase(Locale.ROOT))) {
            return null;
        }
        Matcher m = TRAILING_NUMBER.matcher(name.substring(0, dot));
        return m.find() && m.group(1).length() < 19 ? Long.parseLong(m.group(1)) : null;
    }

    private static long id(JsonNode q, String field, String where) {
        JsonNode n = q.get(field);
        if (n != null && n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n != null && n.isTextual()) {
            try {
                return Long.parseLong(n.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(where + ": field \"" + field + "\" must be an integer id, got "
                + (n == null ? "nothing" : n.toString()));
    }

    private static String text(JsonNode q, String field, String where) {
        JsonNode n = q.get(field);
        if (n == null || !n.isTextual()) {
            throw new IllegalArgumentException(where + ": field \"" + field + "\" must be a string, got "
                    + (n == null ? "nothing" : n.toString()));
        }
        return n.asText();
    }
}
