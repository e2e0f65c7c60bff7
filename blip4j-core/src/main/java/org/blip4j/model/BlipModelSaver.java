package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.blip4j.checkpoint.BlipCheckpointConverter;
import org.blip4j.checkpoint.DType;
import org.blip4j.checkpoint.HfModelDirectory;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.checkpoint.Safetensors;
import org.blip4j.nn.Parameter;
import org.blip4j.util.AtomicFiles;

/**
 * Writes a model as an HF-layout directory ({@code config.json} + {@code model.safetensors}) that
 * {@link BlipModelLoader} and HF transformers read. Tied aliases are written too (as HF's own BLIP files do), so
 * either naming convention finds them.
 */
public final class BlipModelSaver {
    private BlipModelSaver() {
    }

    /** The model's tensors by checkpoint name (owned parameters, then aliases). */
    public static Map<String, RawTensor> tensors(BlipModel model, boolean withAliases) {
        return tensors(model.parameters(), withAliases);
    }

    /** Tensors of a parameter set by checkpoint name (owned parameters, then aliases). */
    public static Map<String, RawTensor> tensors(org.blip4j.nn.ParameterSet params, boolean withAliases) {
        Map<String, RawTensor> out = new LinkedHashMap<>();
        for (Parameter p : params.parameters().values()) {
            out.put(p.name(), toRaw(p.array()));
        }
        if (withAliases) {
            params.aliases().forEach((alias, p) -> out.put(alias, out.get(p.name())));
        }
        return out;
    }

    public static RawTensor toRaw(NDArray a) {
        ByteBuffer b = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
        return new RawTensor(DType.F32, a.getShape().getShape(), b);
    }

    /**
     * Writes config.json, model.safetensors and preprocessor_config.json (the released models' image settings at
     * this model's image size) into {@code dir} (created if needed), each atomically.
     */
    public static void save(BlipModel model, Path dir) throws IOException {
        Files.createDirectories(dir);
        Safetensors.write(dir.resolve(HfModelDirectory.SAFETENSORS), tensors(model, true), Map.of("format", "pt"));
        BlipConfigJson.write(dir.resolve(HfModelDirectory.CONFIG), model.config());
        AtomicFiles.writeString(dir.resolve(HfModelDirectory.PREPROCESSOR_CONFIG), new ObjectMapper()
                .writerWithDefaultPrettyPrinter().writeValueAsString(BlipCheckpointConverter.preprocessorConfig(
                        model.config().vision().imageSize())));
    }
}
