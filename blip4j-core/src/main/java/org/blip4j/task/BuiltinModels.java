package org.blip4j.task;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.blip4j.util.AtomicFiles;

/**
 * Models shipped with blip4j ({@code builtin:NAME}): class-path resources under {@code /blip4j/models/NAME/}, in the
 * {@code org.blip4j:blip4j-models} artefact, extracted once into the cache so they load like any model directory.
 */
public final class BuiltinModels {
    public static final String PREFIX = "builtin:";
    /** The artefact that holds the models; named in the error when they are not on the class path. */
    static final String ARTIFACT = "org.blip4j:blip4j-models";
    /** The models blip4j-models ships. */
    static final List<String> NAMES = List.of("shapes-captioner", "shapes-filter");
    static final List<String> FILES = List.of("config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json",
            "special_tokens_map.json", "preprocessor_config.json");

    private BuiltinModels() {
    }

    /**
     * The cache directory holding built-in model {@code name}, extracted from the class path.
     *
     * @throws IOException when the model is not on the class path (the error names the artefact to add)
     */
    public static Path directory(String name) throws IOException {
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IOException("built-in model name '" + name + "': expected lower-case letters, digits and '-'");
        }
        // Resources are looked up through the class loader: blip4j-models is another jar (or module).
        String base = "blip4j/models/" + name + "/";
        ClassLoader loader = BuiltinModels.class.getClassLoader();
        if (loader.getResource(base + "config.json") == null) {
            throw new IOException(!anyBuiltin(loader)
                    ? "built-in model '" + name + "' not found: the built-in models are not on the class path; add"
                            + " the artefact " + ARTIFACT + " (same version as blip4j-core) to your dependencies"
                    : "no built-in model '" + name + "' in " + ARTIFACT + " (known: " + String.join(", ", NAMES)
                            + ")");
        }
        Path out = ModelResolver.cacheRoot().resolve("builtin").resolve(name);
        for (String f : FILES) {
            try (InputStream in = loader.getResourceAsStream(base + f)) {
                if (in == null) {
                    continue;
                }
                byte[] bytes = in.readAllBytes();
                Path target = out.resolve(f);
                if (!Files.isRegularFile(target) || Files.size(target) != bytes.length
                        || !java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
                    AtomicFiles.write(target, os -> os.write(bytes));
                }
            }
        }
        return out;
    }

    private static boolean anyBuiltin(ClassLoader loader) {
        return NAMES.stream().anyMatch(n -> loader.getResource("blip4j/models/" + n + "/config.json") != null);
    }
}
