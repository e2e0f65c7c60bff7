package org.blip4j.train.vision;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.blip4j.util.JsonLimits;

/**
 * A vision pre-training set: the role ImageNet plays for BLIP's image encoder, with object-level labels. Format (a
 * JSON list, image paths relative to the image root):
 * <pre>
 * [{"image": "images/vision_00001.png",
 *   "objects": [{"x": 0.19, "y": 0.52, "labels": {"shape": "star", "colour": "blue", "size": "small"}}],
 *   "labels": {"shape": ["star"], "colour": ["blue"], "position": ["left"]}}]
 * </pre>
 * Both {@code objects} and {@code labels} are optional per record. Every object carries every object group;
 * classes are the sorted distinct values seen per group.
 */
public final class VisionLabels {
    private final List<VisionExample> examples;
    private final LabelGroups objectGroups;
    private final LabelGroups imageGroups;

    private VisionLabels(List<VisionExample> examples, LabelGroups objectGroups, LabelGroups imageGroups) {
        this.examples = examples;
        this.objectGroups = objectGroups;
        this.imageGroups = imageGroups;
    }

    public static VisionLabels read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("vision labels file not found: " + file);
        }
        JsonNode root;
        try {
            root = JsonLimits.dataMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException(file + ": expected a JSON list of labelled images");
        }
        List<VisionExample> examples = new ArrayList<>();
        Map<String, TreeSet<String>> objectClasses = new TreeMap<>();
        Map<String, TreeSet<String>> imageClasses = new TreeMap<>();
        List<String> objectGroupNames = null;
        for (int i = 0; i < root.size(); i++) {
            JsonNode r = root.get(i);
            String where = file + " record " + i;
            JsonNode image = r.get("image");
            if (image == null || !image.isTextual() || image.asText().isBlank()) {
                throw new IllegalArgumentException(where + ": missing \"image\"");
            }
            List<VisionExample.LabelledPoint> objects = new ArrayList<>();
            JsonNode objs = r.path("objects");
            for (int j = 0; j < objs.size(); j++) {
                JsonNode o = objs.get(j);
                String ow = where + " object " + j;
                double x = coordinate(o, "x", ow);
                double y = coordinate(o, "y", ow);
                Map<String, String> labels = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = o.path("labels").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isTextual()) {
                        throw new IllegalArgumentException(ow + ": label \"" + e.getKey() + "\" must be a string");
                    }
                    labels.put(e.getKey(), e.getValue().asText());
                    objectClasses.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(e.getValue().asText());
                }
                List<String> names = new ArrayList<>(new TreeSet<>(labels.keySet()));
                if (objectGroupNames == null) {
                    objectGroupNames = names;
                } else if (!objectGroupNames.equals(names)) {
                    throw new IllegalArgumentException(ow + ": labels " + names + ", but earlier objects have "
                            + objectGroupNames + " (every object needs every object group)");
                }
                objects.add(new VisionExample.LabelledPoint(x, y, labels));
            }
            Map<String, List<String>> labels = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("labels").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isArray()) {
                    throw new IllegalArgumentException(where + ": image label \"" + e.getKey()
                            + "\" must be a list of strings");
                }
                List<String> values = new ArrayList<>();
                for (JsonNode v : e.getValue()) {
                    values.add(v.asText());
                    imageClasses.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(v.asText());
                }
                labels.put(e.getKey(), values);
            }
            examples.add(new VisionExample(image.asText(), objects, labels));
        }
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(file + ": no labelled images");
        }
        if (objectClasses.isEmpty() && imageClasses.isEmpty()) {
            throw new IllegalArgumentException(file + ": no labels at all (neither objects nor image labels)");
        }
        return new VisionLabels(examples, groups(objectClasses), groups(imageClasses));
    }

    private static double coordinate(JsonNode o, String field, String where) {
        JsonNode v = o.get(field);
        if (v == null || !v.isNumber() || v.asDouble() < 0 || v.asDouble() > 1) {
            throw new IllegalArgumentException(where + ": \"" + field + "\" must be a number in [0, 1]");
        }
        return v.asDouble();
    }

    private static LabelGroups groups(Map<String, TreeSet<String>> classes) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        classes.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        return new LabelGroups(out);
    }

    public List<VisionExample> examples() {
        return examples;
    }

    public LabelGroups objectGroups() {
        return objectGroups;
    }

    public LabelGroups imageGroups() {
        return imageGroups;
    }
}
