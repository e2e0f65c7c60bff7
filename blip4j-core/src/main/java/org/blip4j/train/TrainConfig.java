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
import java.util.List;

/**
 * A training configuration: YAML or JSON with the original BLIP key names ({@code train_file}, {@code image_root},
 * {@code batch_size_train}, {@code init_lr}, … blip-spec §6.2) plus blip4j's ({@code model_config},
 * {@code init_from}, {@code grad_accum_steps}, …). {@code --set KEY=VALUE} overrides any key. A config argument
 * that is not a file names a shipped preset: {@code pretrain}, {@code caption_coco}, {@code retrieval_coco},
 * {@code vqa}.
 */
public final class TrainConfig {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final List<String> PRESETS = List.of("pretrain", "caption_coco", "retrieval_coco", "vqa", "nlvr");

    private final ObjectNode root;
    private final String source;

    private TrainConfig(ObjectNode root, String source) {
        this.root = root;
        this.source = source;
    }

    public static TrainConfig load(String pathOrPreset) throws IOException {
        Path p = Path.of(pathOrPreset);
        if (Files.isRegularFile(p)) {
            return parse(Files.readString(p), p.toString());
        }
        String res = "/blip4j/configs/" + pathOrPreset + ".yaml";
        try (InputStream in = TrainConfig.class.getResourceAsStream(res)) {
            if (in == null) {
                throw new IOException(pathOrPreset + ": no such config file, and not a preset " + PRESETS);
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), "preset "
                    + pathOrPreset);
        }
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
        return new TrainConfig((ObjectNode) n, source);
    }

    public static TrainConfig of(ObjectNode root, String source) {
        return new TrainConfig(root, source);
    }

    /** Applies {@code KEY=VALUE} overrides; values are parsed as YAML scalars/lists ("3e-4", "[a, b]", "true"). */
    public TrainConfig with(List<String> overrides) throws IOException {
        ObjectNode copy = root.deepCopy();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IOException("--set expects KEY=VALUE, got '" + o + "'");
            }
            String value = o.substring(eq + 1);
            JsonNode v = value.isEmpty() ? JSON.getNodeFactory().textNode("") : YAML.readTree(value);
            copy.set(o.substring(0, eq).trim(), v == null ? JSON.getNodeFactory().nullNode() : v);
        }
        return new TrainConfig(copy, source + (overrides.isEmpty() ? "" : " + --set " + overrides));
    }

    public TrainConfig with(String key, Object value) {
        ObjectNode copy = root.deepCopy();
        copy.set(key, JSON.valueToTree(value));
        return new TrainConfig(copy, source);
    }

    public String source() {
        return source;
    }

    public ObjectNode json() {
        return root.deepCopy();
    }

    public boolean has(String key) {
        return root.hasNonNull(key);
    }

    public String string(String key, String def) {
        JsonNode v = root.get(key);
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
        JsonNode v = root.get(key);
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
        JsonNode v = root.get(key);
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
        JsonNode v = root.get(key);
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
