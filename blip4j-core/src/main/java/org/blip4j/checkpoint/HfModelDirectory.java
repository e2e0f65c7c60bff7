package org.blip4j.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.blip4j.util.JsonLimits;

/**
 * A model directory in Hugging Face layout: {@code config.json} plus weights as {@code model.safetensors}, a
 * sharded {@code model.safetensors.index.json}, {@code pytorch_model.bin} or a sharded
 * {@code pytorch_model.bin.index.json} (first found wins, in that order), and optional tokenizer and
 * preprocessor files.
 */
public final class HfModelDirectory {
    public static final String CONFIG = "config.json";
    public static final String SAFETENSORS = "model.safetensors";
    public static final String SAFETENSORS_INDEX = "model.safetensors.index.json";
    public static final String PYTORCH_BIN = "pytorch_model.bin";
    public static final String PYTORCH_BIN_INDEX = "pytorch_model.bin.index.json";
    public static final String PREPROCESSOR_CONFIG = "preprocessor_config.json";
    public static final List<String> TOKENIZER_FILES =
            List.of("tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json");

    /** A shard file name: plain, in the model directory itself (no separators, no leading dot, no controls). */
    private static final Pattern SHARD_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._+-]{0,254}");

    /** How the weights are stored. */
    public enum WeightsFormat { SAFETENSORS, SAFETENSORS_SHARDED, PYTORCH_BIN, PYTORCH_BIN_SHARDED }

    private final Path dir;
    private final WeightsFormat format;
    private final List<Path> weightFiles;

    private HfModelDirectory(Path dir, WeightsFormat format, List<Path> weightFiles) {
        this.dir = dir;
        this.format = format;
        this.weightFiles = weightFiles;
    }

    /** Checks that {@code dir} has a config and complete weights (every shard of an index present). */
    public static HfModelDirectory open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": model directory does not exist");
        }
        if (!Files.isRegularFile(dir.resolve(CONFIG))) {
            throw new IOException(dir + ": no " + CONFIG + " in model directory");
        }
        if (Files.isRegularFile(dir.resolve(SAFETENSORS))) {
            return new HfModelDirectory(dir, WeightsFormat.SAFETENSORS, List.of(dir.resolve(SAFETENSORS)));
        }
        if (Files.isRegularFile(dir.resolve(SAFETENSORS_INDEX))) {
            return new HfModelDirectory(dir, WeightsFormat.SAFETENSORS_SHARDED, shards(dir, SAFETENSORS_INDEX));
        }
        if (Files.isRegularFile(dir.resolve(PYTORCH_BIN))) {
            return new HfModelDirectory(dir, WeightsFormat.PYTORCH_BIN, List.of(dir.resolve(PYTORCH_BIN)));
        }
        if (Files.isRegularFile(dir.resolve(PYTORCH_BIN_INDEX))) {
            return new HfModelDirectory(dir, WeightsFormat.PYTORCH_BIN_SHARDED, shards(dir, PYTORCH_BIN_INDEX));
        }
        throw new IOException(dir + ": no weights in model directory (looked for " + SAFETENSORS + ", "
                + SAFETENSORS_INDEX + ", " + PYTORCH_BIN + ", " + PYTORCH_BIN_INDEX + ")");
    }

    /** The shard files named by an index's {@code weight_map}, in first-mention order. */
    static Map<String, String> weightMap(Path index) throws IOException {
        JsonNode root;
        try {
            root = JsonLimits.configMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw new IOException(index + ": unreadable shard index: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new IOException(index + ": shard index has no 'weight_map' object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String shard = e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString();
            if (!SHARD_NAME.matcher(shard).matches()) { // index files are untrusted: never a path out of the dir
                throw new IOException(index + ": tensor '" + e.getKey() + "' names an invalid shard "
                        + HubAnswer.quote(shard) + " (a plain file name in the model directory is expected)");
            }
            out.put(e.getKey(), shard);
        }
        return out;
    }

    private static List<Path> shards(Path dir, String indexName) throws IOException {
        Path index = dir.resolve(indexName);
        Set<String> names = new LinkedHashSet<>(weightMap(index).values());
        List<Path> out = new ArrayList<>();
        for (String name : names) {
            Path shard = dir.resolve(name);
            if (!Files.isRegularFile(shard)) {
                throw new IOException(dir + ": shard " + name + " listed in " + indexName + " is missing");
            }
            out.add(shard);
        }
        return out;
    }

    /** All weights under their HF names. For sharded weights, checks each tensor is where the index says. */
    public Map<String, RawTensor> loadWeights() throws IOException {
        Map<String, RawTensor> out = new LinkedHashMap<>();
        boolean safetensors = format == WeightsFormat.SAFETENSORS || format == WeightsFormat.SAFETENSORS_SHARDED;
        for (Path file : weightFiles) {
            Map<String, RawTensor> part = safetensors ? Safetensors.read(file) : TorchCheckpointReader.readStateDict(file);
            for (Map.Entry<String, RawTensor> e : part.entrySet()) {
                if (out.put(e.getKey(), e.getValue()) != null) {
                    throw new IOException(file + ": tensor '" + e.getKey() + "' also appears in another shard");
                }
            }
        }
        if (format == WeightsFormat.SAFETENSORS_SHARDED || format == WeightsFormat.PYTORCH_BIN_SHARDED) {
            Path index = dir.resolve(format == WeightsFormat.SAFETENSORS_SHARDED ? SAFETENSORS_INDEX : PYTORCH_BIN_INDEX);
            for (String key : weightMap(index).keySet()) {
                if (!out.containsKey(key)) {
                    throw new IOException(index + ": tensor '" + key + "' is not in its shard");
                }
            }
        }
        return out;
    }

    public Path dir() {
        return dir;
    }

    public Path config() {
        return dir.resolve(CONFIG);
    }

    public WeightsFormat weightsFormat() {
        return format;
    }

    public List<Path> weightFiles() {
        return List.copyOf(weightFiles);
    }

    /** {@code name} in this directory when it is a regular file. */
    public Optional<Path> file(String name) {
        Path p = dir.resolve(name);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    public Optional<Path> tokenizerJson() {
        return file("tokenizer.json");
    }

    public Optional<Path> preprocessorConfig() {
        return file(PREPROCESSOR_CONFIG);
    }

    /** The tokenizer files present, in {@link #TOKENIZER_FILES} order. */
    public List<Path> tokenizerFiles() {
        List<Path> out = new ArrayList<>();
        TOKENIZER_FILES.forEach(n -> file(n).ifPresent(out::add));
        return out;
    }

    /** True when {@code dir} holds a config and weights (no exception, for cache checks). */
    public static boolean isComplete(Path dir) {
        try {
            open(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
