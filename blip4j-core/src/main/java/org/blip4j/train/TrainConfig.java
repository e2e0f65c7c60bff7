package org.blip4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;

/**
 * A training configuration: YAML or JSON with the original BLIP key names ({@code train_file}, {@code image_root},
 * {@code batch_size}, {@code vit}, {@code pretrained}, … see {@link ConfigKeys}) plus blip4j's ({@code model_config},
 * {@code init_from}, {@code grad_accum_steps}, …). Resolved in three layers, each value remembering where it came
 * from: the task's shipped preset ({@code pretrain}, {@code caption_coco}, {@code retrieval_coco}, {@code vqa}),
 * then the config file, then {@code --set KEY=VALUE}. Three official keys name what a blip4j key names
 * ({@link ConfigKeys#ALIASES}: {@code batch_size}/{@code batch_size_train}, {@code vit}/{@code model_config},
 * {@code pretrained}/{@code init_from}); a config holds one of each pair: a later layer replaces the other name
 * (with a note), while both names in one layer with different values is an error.
 */
public final class TrainConfig {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final List<String> PRESETS = List.of("pretrain", "caption_coco", "retrieval_coco", "vqa", "nlvr");
    public static final String PRESET = "preset";
    public static final String FILE = "file";
    public static final String SET = "set";

    private final ObjectNode root;
    private final Map<String, String> sources;
    private final List<String> notes;
    private final String source;

    private TrainConfig(ObjectNode root, Map<String, String> sources, List<String> notes, String source) {
        this.root = root;
        this.sources = sources;
        this.notes = notes;
        this.source = source;
    }

    private TrainConfig(ObjectNode root, String level, String source) {
        this(root, levels(root, level), new ArrayList<>(), source);
    }

    private static Map<String, String> levels(ObjectNode root, String level) {
        Map<String, String> m = new LinkedHashMap<>();
        root.fieldNames().forEachRemaining(k -> m.put(k, level));
        return m;
    }

    public static TrainConfig load(String pathOrPreset) throws IOException {
        Path p = Path.of(pathOrPreset);
        if (Files.isRegularFile(p)) {
            return parse(Files.readString(p), p.toString());
        }
        return preset(pathOrPreset);
    }

    /** A shipped preset by name. */
    public static TrainConfig preset(String name) throws IOException {
        String res = "/blip4j/configs/" + name + ".yaml";
        try (InputStream in = TrainConfig.class.getResourceAsStream(res)) {
            if (in == null || !name.matches("[a-z_]+")) {
                throw new IOException(name + ": no such config file, and not a preset " + PRESETS);
            }
            TrainConfig c = parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                    "preset " + name);
            return new TrainConfig(c.root, PRESET, c.source);
        }
    }

    /** The shipped preset of a task. */
    public static String presetOf(TrainingTask task) {
        return switch (task) {
            case PRETRAIN -> "pretrain";
            case CAPTION -> "caption_coco";
            case RETRIEVAL -> "retrieval_coco";
            case VQA -> "vqa";
        };
    }

    /**
     * The configuration a training command runs: the task's preset, then {@code configArg} (a file, whose keys
     * override the preset's; or a preset name), then the overrides; every key checked against the task.
     */
    public static TrainConfig resolve(TrainingTask task, String configArg, List<String> overrides)
            throws IOException {
        TrainConfig c;
        if (Files.isRegularFile(Path.of(configArg))) {
            TrainConfig file = load(configArg);
            file.checkKeys(task);
            c = preset(presetOf(task)).overlay(file.root, FILE, file.source);
        } else {
            c = preset(configArg);
        }
        c = c.with(overrides);
        c.checkKeys(task);
        String declared = c.string("task", ConfigKeys.kind(task));
        if (TrainingTask.parse(declared) != task) {
            throw new IllegalArgumentException(c.source() + " is a '" + declared + "' config, not "
                    + ConfigKeys.kind(task));
        }
        return c;
    }

    public static TrainConfig parse(String text, String source) throws IOException {
        JsonNode n;
        try {
            n = YAML.readTree(text);
        } catch (IOException e) {
            throw new IOException(source + ": not valid YAML/JSON: " + e.getMessage(), e);
        }
        if (n == null || n.isMissingNode() || n.isNull()) {
            n = JSON.createObjectNode();
        }
        if (!n.isObject()) {
            throw new IOException(source + ": a config must be a mapping of keys to values");
        }
        return new TrainConfig((ObjectNode) n, FILE, source);
    }

    public static TrainConfig of(ObjectNode root, String source) {
        return new TrainConfig(root, FILE, source);
    }

    /** Applies {@code KEY=VALUE} overrides; values are parsed as YAML scalars/lists ("3e-4", "[a, b]", "true"). */
    public TrainConfig with(List<String> overrides) throws IOException {
        ObjectNode layer = JSON.createObjectNode();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IOException("--set expects KEY=VALUE, got '" + o + "'");
            }
            String value = o.substring(eq + 1);
            JsonNode v;
            try {
                v = value.isEmpty() ? JSON.getNodeFactory().textNode("") : YAML.readTree(value);
            } catch (IOException e) {
                throw new IOException("--set " + o + ": not a valid YAML value: " + e.getMessage(), e);
            }
            layer.set(o.substring(0, eq).trim(), v == null ? JSON.getNodeFactory().nullNode() : v);
        }
        return overlay(layer, SET, "--set");
    }

    public TrainConfig with(String key, Object value) {
        ObjectNode layer = JSON.createObjectNode();
        layer.set(key, JSON.valueToTree(value));
        return overlay(layer, SET, "--set");
    }

    /** This config with a later layer's keys on top (alias pairs resolved as the class comment says). */
    TrainConfig overlay(ObjectNode layer, String level, String layerName) {
        ObjectNode copy = root.deepCopy();
        Map<String, String> src = new LinkedHashMap<>(sources);
        List<String> n = new ArrayList<>(notes);
        for (Map.Entry<String, String> a : ConfigKeys.ALIASES.entrySet()) {
            JsonNode x = layer.get(a.getKey());
            JsonNode y = layer.get(a.getValue());
            if (x != null && y != null && !x.asText().equals(y.asText())) {
                throw new IllegalArgumentException(layerName + ": '" + a.getKey() + "' (" + x + ") and '"
                        + a.getValue() + "' (" + y + ") name the same setting with different values; give one");
            }
        }
        Iterator<Map.Entry<String, JsonNode>> it = layer.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            String other = partner(k);
            if (other != null && copy.has(other) && !layer.has(other)) {
                JsonNode old = copy.remove(other);
                String oldLevel = src.remove(other);
                if (!old.isNull() && !old.asText().equals(e.getValue().asText()) && !PRESET.equals(oldLevel)) {
                    n.add(layerName + ": " + k + "=" + e.getValue() + " replaces " + other + "=" + old + " ("
                            + oldLevel + ")");
                }
            }
            copy.set(k, e.getValue());
            src.put(k, level);
        }
        String s = level.equals(SET) ? source + (layer.isEmpty() ? "" : " + --set " + layer) : layerName;
        return new TrainConfig(copy, src, n, s);
    }

    private static String partner(String key) {
        String canonical = ConfigKeys.ALIASES.get(key);
        if (canonical != null) {
            return canonical;
        }
        for (Map.Entry<String, String> a : ConfigKeys.ALIASES.entrySet()) {
            if (a.getValue().equals(key)) {
                return a.getKey();
            }
        }
        return null;
    }

    /** Every key is known and belongs to this task's configs, with a value of its type. */
    public void checkKeys(TrainingTask task) {
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String level = sources.getOrDefault(e.getKey(), FILE);
            String where = level.equals(SET) ? "--set " + e.getKey() : source;
            ConfigKeys.check(e.getKey(), e.getValue(), ConfigKeys.kind(task), where);
        }
    }

    /** Where a key's value came from: preset, file or set; null when the key is not in the config. */
    public String sourceOf(String key) {
        String k = root.has(key) ? key : partner(key);
        return k == null ? null : sources.get(k);
    }

    /** Messages about one key replacing another (alias pairs across layers). */
    public List<String> notes() {
        return List.copyOf(notes);
    }

    /** {"KEY": {"value": V, "source": "preset|file|set"}, …} in the config's key order. */
    public ObjectNode describe() {
        ObjectNode out = JSON.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            ObjectNode entry = out.putObject(e.getKey());
            entry.set("value", e.getValue());
            entry.put("source", sources.getOrDefault(e.getKey(), FILE));
        }
        return out;
    }

    public String source() {
        return source;
    }

    public ObjectNode json() {
        return root.deepCopy();
    }

    public boolean has(String key) {
        JsonNode v = node(key);
        return v != null && !v.isNull();
    }

    /** The value of a key, or of its alias ({@code batch_size_train} reads {@code batch_size} where given). */
    private JsonNode node(String key) {
        JsonNode v = root.get(key);
        if (v == null) {
            String other = partner(key);
            if (other != null) {
                v = root.get(other);
            }
        }
        return v;
    }

    public String string(String key, String def) {
        JsonNode v = node(key);
        return v == null || v.isNull() ? def : v.asText();
    }

    public String requireString(String key) {
        String s = string(key, null);
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(source + ": missing required key '" + key + "'");
        }
        return s;
    }

    public double number(String key, double def) {
        JsonNode v = node(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        try {
            return Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": key '" + key + "' must be a number, got " + v);
        }
    }

    public int integer(String key, int def) {
        double d = number(key, def);
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException(source + ": key '" + key + "' must be an integer, got " + d);
        }
        return (int) d;
    }

    public boolean bool(String key, boolean def) {
        JsonNode v = node(key);
        if (v == null || v.isNull()) {
            return def;
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        String s = v.asText().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(source + ": key '" + key + "' must be true or false, got " + v);
    }

    /** A string or a list of strings. */
    public List<String> strings(String key) {
        JsonNode v = node(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            v.forEach(x -> out.add(x.asText()));
        } else {
            out.add(v.asText());
        }
        return out;
    }

    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
