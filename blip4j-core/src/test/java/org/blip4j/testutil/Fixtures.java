package org.blip4j.testutil;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.blip4j.checkpoint.Safetensors;
import org.blip4j.model.BlipConfigJson;
import org.blip4j.model.BlipModel;
import org.blip4j.model.BlipModelLoader;

/** Locates test fixtures copied into src/test/resources (tests never reach outside the repository). */
public final class Fixtures {
    private Fixtures() {
    }

    /** A path under src/test/resources, e.g. {@code resource("parity/tiny-a/model")}. */
    public static Path resource(String relative) {
        try {
            var url = Fixtures.class.getClassLoader().getResource(relative);
            if (url == null) {
                throw new IllegalStateException("test resource not found: " + relative);
            }
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path tinyA() {
        return resource("parity/tiny-a");
    }

    public static Path tinyAModel() {
        return resource("parity/tiny-a/model");
    }

    /** The official tiny-a checkpoint (every part), loaded into {@code manager}. */
    public static BlipModel loadTinyAModel(NDManager manager) throws IOException {
        Path dir = tinyAModel();
        return BlipModelLoader.load(BlipConfigJson.read(dir.resolve("config.json")),
                Safetensors.read(dir.resolve("model.safetensors")), manager, "tiny-a");
    }

    public static Path tinyAVqa() {
        return resource("parity/tiny-a-vqa");
    }

    public static Path tinyANlvr() {
        return resource("parity/tiny-a-nlvr");
    }

    public static boolean exists(String relative) {
        return Fixtures.class.getClassLoader().getResource(relative) != null && Files.exists(resource(relative));
    }
}
