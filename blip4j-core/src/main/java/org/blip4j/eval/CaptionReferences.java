package org.blip4j.eval;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reference captions per image id, in evaluation order (the order of the COCO {@code images} list). */
public final class CaptionReferences {
    /** Trailing number of a file name's last '_'-separated part, e.g. COCO_val2014_000000391895.jpg -> 391895. */
    private static final Pattern TRAILING_ID = Pattern.compile("(?:^|_)(\\d+)$");

    private final Map<Long, List<String>> captions;
    private final String source;

    private CaptionReferences(Map<Long, List<String>> captions, String source) {
        this.captions = captions;
        this.source = source;
    }

    /** References in the given iteration order; {@code source} names them in error messages. */
    public static CaptionReferences of(Map<Long, List<String>> captions, String source) {
        Map<Long, List<String>> copy = new LinkedHashMap<>();
        captions.forEach((id, caps) -> copy.put(id, List.copyOf(caps)));
        return new CaptionReferences(Collections.unmodifiableMap(copy), source);
    }

    /** COCO caption annotations: {@code {"images": [{"id"}], "annotations": [{"image_id", "caption"}]}}. */
    public static CaptionReferences readCoco(Path file) {
        JsonNode root = JsonFields.read(file);
        Map<Long, List<String>> captions = new LinkedHashMap<>();
        JsonNode images = JsonFields.array(root, "images", file.toString());
        for (int i = 0; i < images.size(); i++) {
            long id = JsonFields.id(images.get(i), "id", file + " images[" + i + "]");
            if (captions.putIfAbsent(id, new ArrayList<>()) != null) {
                throw new IllegalArgumentException(file + " images[" + i + "]: duplicate image id " + id);
            }
        }
        JsonNode annotations = JsonFields.array(root, "annotations", file.toString());
        for (int i = 0; i < annotations.size(); i++) {
            String where = file + " annotations[" + i + "]";
            long id = JsonFields.id(annotations.get(i), "image_id", where);
            List<String> list = captions.get(id);
            if (list == null) {
                throw new IllegalArgumentException(where + ": image_id " + id + " is not listed in \"images\"");
            }
            list.add(JsonFields.text(annotations.get(i), "caption", where));
        }
        return of(captions, file.toString());
    }

    /**
     * Karpathy-split list as BLIP ships it: {@code [{"image": "val2014/COCO_val2014_000000391895.jpg",
     * "caption": [...]}]}. The image id is the file name's trailing number, as BLIP's coco_karpathy dataset
     * derives it; if a name has none, the entry's index is used instead.
     */
    public static CaptionReferences readKarpathy(Path file) {
        JsonNode root = JsonFields.read(file);
        if (!root.isArray()) {
            throw new IllegalArgumentException(file + ": expected a JSON array of {\"image\", \"caption\"}");
        }
        Map<Long, List<String>> captions = new LinkedHashMap<>();
        for (int i = 0; i < root.size(); i++) {
            String where = file + " [" + i + "]";
            JsonNode entry = root.get(i);
            String image = JsonFields.text(entry, "image", where);
            long id = imageIdFromPath(image, i);
            List<String> caps = new ArrayList<>();
            JsonNode capNode = entry.get("caption");
            if (capNode != null && capNode.isTextual()) {
                caps.add(capNode.asText());
            } else if (capNode != null && capNode.isArray()) {
                for (int c = 0; c < capNode.size(); c++) {
                    if (!capNode.get(c).isTextual()) {
                        throw new IllegalArgumentException(where + ": caption[" + c + "] must be a string");
                    }
                    caps.add(capNode.get(c).asText());
                }
            } else {
                throw new IllegalArgumentException(where + ": field \"caption\" must be a string or a list of strings");
            }
            if (captions.putIfAbsent(id, caps) != null) {
                throw new IllegalArgumentException(where + ": image id " + id + " (from \"" + image
                        + "\") occurs twice");
            }
        }
        return of(captions, file.toString());
    }

    /** Id from a Karpathy image path: trailing digits of the base name without extension, else {@code index}. */
    public static long imageIdFromPath(String imagePath, long index) {
        String name = imagePath.substring(imagePath.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            name = name.substring(0, dot);
        }
        Matcher m = TRAILING_ID.matcher(name);
        if (m.find()) {
            try {
                return Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                return index; // too many digits for an id
            }
        }
        return index;
    }

    public Map<Long, List<String>> captions() {
        return captions;
    }

    public String source() {
        return source;
    }
}
