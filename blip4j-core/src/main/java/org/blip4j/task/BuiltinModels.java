package org.blip4j.task;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.blip4j.util.AtomicFiles;

/**
 * Models shipped inside blip4j ({@code builtin:NAME}): class-path resources under {@code /blip4j/models/NAME/},
 * extracted once into the cache so they load like any model directory.
 */
public final class BuiltinModels {
    public static final String PREFIX = "builtin:";
    static final List<String> FILES = List.of("config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json",
            "special_tokens_map.json", "preprocessor_config.json");

    private BuiltinModels() {
    }

    public static Path directory(String name) throws IOException {
        String base = "/blip4j/models/" + name + "/";
        if (BuiltinModels.class.getResource(base + "config.json") == null) {
            throw new IOException("no built-in model '" + name + "' in this build of blip4j");
        }
        Path out = ModelResolver.cacheRoot().resolve("builtin").resolve(name);
        for (String f : FILES) {
            try (InputStream in = BuiltinModels.class.getResourceAsStream(base + f)) {
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
}
