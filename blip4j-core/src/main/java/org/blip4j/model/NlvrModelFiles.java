package org.blip4j.model;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.blip4j.checkpoint.BlipCheckpointConverter;
import org.blip4j.checkpoint.HfModelDirectory;
import org.blip4j.checkpoint.NlvrCheckpointLayout;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.checkpoint.Safetensors;
import org.blip4j.util.AtomicFiles;

/** Reads and writes an NLVR2 model directory ({@code config.json} + {@code model.safetensors} + preprocessor). */
public final class NlvrModelFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NlvrModelFiles() {
    }

    /** The NLVR2 config of a model directory whose weights are {@code weights}. */
    public static NlvrConfig readConfig(Path configFile, Map<String, RawTensor> weights) throws IOException {
        if (weights != null && !NlvrCheckpointLayout.isNlvr(weights.keySet())) {
            throw new IOException(configFile.getParent() + " is not an NLVR2 model: it has no cls_head and no twin"
                    + " cross-attention (crossattention.self0) weights");
        }
        JsonNode root;
        try {
            root = JSON.readTree(configFile.toFile());
        } catch (IOException e) {
            throw new IOException(configFile + ": not valid JSON: " + e.getMessage(), e);
        }
        try {
            return NlvrConfigJson.parse(root, weights == null ? null : weights.keySet());
        } catch (IllegalArgumentException e) {
            throw new IOException(configFile + ": " + e.getMessage(), e);
        }
    }

    /** Loads the model of an HF-layout directory. */
    public static NlvrModel load(Path dir, NDManager manager) throws IOException {
        HfModelDirectory files = HfModelDirectory.open(dir);
        Map<String, RawTensor> weights = files.loadWeights();
        return NlvrModel.load(readConfig(files.config(), weights), weights, manager, dir.toString());
    }

    /** Writes config.json, model.safetensors and preprocessor_config.json into {@code dir}, each atomically. */
    public static void save(NlvrModel model, Path dir) throws IOException {
        Files.createDirectories(dir);
        Safetensors.write(dir.resolve(HfModelDirectory.SAFETENSORS), BlipModelSaver.tensors(model.parameters(), false),
                Map.of("format", "pt"));
        AtomicFiles.writeString(dir.resolve(HfModelDirectory.CONFIG), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(NlvrConfigJson.toJson(model.config())) + "\n");
        AtomicFiles.writeString(dir.resolve(HfModelDirectory.PREPROCESSOR_CONFIG), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(BlipCheckpointConverter.preprocessorConfig(model.config().vision().imageSize())));
    }
}
