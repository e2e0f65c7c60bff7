package org.blip4j.task;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
    /** blip4j-models' list of its models, one name a line ('#' starts a comment). */
    static final String INDEX = "blip4j/models/models.txt";
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
            List<String> known = names(loader);
            throw new IOException(known.isEmpty()
                    ? "built-in model '" + name + "' not found: the built-in models are not on the class path; add"
                            + " the artefact " + ARTIFACT + " (same version as blip4j-core) to your dependencies"
                    : "no built-in model '" + name + "' in " + ARTIFACT + " (known: " + String.join(", ", known)
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

    /** The built-in models on the class path; empty without blip4j-models. */
    public static List<String> names() throws IOException {
        return names(BuiltinModels.class.getClassLoader());
    }

    private static List<String> names(ClassLoader loader) throws IOException {
        try (InputStream in = loader.getResourceAsStream(INDEX)) {
            if (in == null) {
                return List.of();
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        }
    }
}
