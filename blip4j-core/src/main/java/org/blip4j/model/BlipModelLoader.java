package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.blip4j.checkpoint.CheckpointKeys;
import org.blip4j.checkpoint.DType;
import org.blip4j.checkpoint.PositionEmbeddingInterpolator;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.nn.Parameter;
import org.blip4j.nn.ParameterSet;

/**
 * Builds a {@link BlipModel} from a config and a map of checkpoint tensors (HF key names). Strict: every
 * parameter of every present part must be in the checkpoint with its exact shape, and every checkpoint key must
 * belong to the model, otherwise one {@link CheckpointMismatchException} lists all offending keys.
 */
public final class BlipModelLoader {
    /** Buffers that some checkpoints carry and no model needs. */
    private static boolean isIgnorableBuffer(String key) {
        return key.endsWith(".position_ids");
    }

    private BlipModelLoader() {
    }

    /** The parts a checkpoint holds, together with those its config's architectures require. */
    public static Set<Part> partsOf(BlipConfig config, Iterable<String> keys) {
        EnumSet<Part> parts = EnumSet.of(Part.VISION);
        for (String k : keys) {
            Part p = Part.of(k);
            if (p != null) {
                parts.add(p);
            }
        }
        for (String arch : config.architectures()) {
            parts.addAll(Part.forArchitecture(arch));
        }
        return parts;
    }

    /** VQA layout: encoder and decoder without the retrieval heads; its decoder attends to question states. */
    public static boolean isVqaLayout(Set<Part> parts) {
        return parts.contains(Part.TEXT_ENCODER) && parts.contains(Part.TEXT_DECODER)
                && !parts.contains(Part.ITM_HEAD) && !parts.contains(Part.VISION_PROJ);
    }

    static int decoderCrossWidth(BlipConfig config, Set<Part> parts, Map<String, RawTensor> tensors) {
        if (!isVqaLayout(parts)) {
            return config.text().encoderHiddenSize();
        }
        if (config.text().answerDecoderEncoderHiddenSize() > 0) {
            return config.text().answerDecoderEncoderHiddenSize();
        }
        RawTensor k = tensors.get(CheckpointKeys.crossAttentionKey(CheckpointKeys.TEXT_DECODER, 0, "self"));
        return k != null && k.shape().length == 2 ? (int) k.shape()[1] : config.text().hiddenSize();
    }

    public static BlipModel load(BlipConfig config, Map<String, RawTensor> tensors, NDManager manager, String source) {
        Set<Part> parts = partsOf(config, tensors.keySet());
        BlipModel model = new BlipModel(config, parts, decoderCrossWidth(config, parts, tensors), manager);
        try {
            assign(model.parameters(), adaptPositionEmbedding(config, tensors), manager, source);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /**
     * Interpolates the ViT position embedding when the checkpoint's patch grid differs (orig {@code models/vit.py}
     * {@code interpolate_pos_embed}).
     */
    public static Map<String, RawTensor> adaptPositionEmbedding(BlipConfig config, Map<String, RawTensor> tensors) {
        String key = CheckpointKeys.VISION_POSITION_EMBEDDING;
        RawTensor pos = tensors.get(key);
        VisionConfig v = config.vision();
        if (pos == null || pos.shape().length != 3 || pos.shape()[1] == v.seqLength()
                || pos.shape()[2] != v.hiddenSize()) {
            return tensors;
        }
        Map<String, RawTensor> copy = new LinkedHashMap<>(tensors);
        copy.put(key, PositionEmbeddingInterpolator.interpolate(pos, v.gridSize()));
        return copy;
    }

    public static void assign(ParameterSet ps, Map<String, RawTensor> tensors, NDManager manager, String source) {
        assign(ps, null, tensors, manager, source);
    }

    /**
     * Loads one part of a model, strictly within that part: every parameter of {@code part} must be present with
     * its shape; the checkpoint's keys of other parts are ignored. Returns the number of tensors loaded.
     */
    public static int assignPart(ParameterSet ps, Part part, Map<String, RawTensor> tensors, NDManager manager,
            String source) {
        Map<String, RawTensor> mine = new LinkedHashMap<>();
        tensors.forEach((k, v) -> {
            if (part.owns(k)) {
                mine.put(k, v);
            }
        });
        assign(ps, part, mine, manager, source);
        return mine.size();
    }

    private static void assign(ParameterSet ps, Part only, Map<String, RawTensor> tensors, NDManager manager,
            String source) {
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        List<String> wrongShape = new ArrayList<>();
        Map<Parameter, RawTensor> chosen = new LinkedHashMap<>();
        java.util.Set<Parameter> misShaped = new java.util.HashSet<>();
        for (Map.Entry<String, RawTensor> e : tensors.entrySet()) {
            String key = e.getKey();
            if (!ps.contains(key)) {
                if (!isIgnorableBuffer(key)) {
                    unexpected.add(key + " " + e.getValue().shapeString());
                }
                continue;
            }
            Parameter p = ps.get(key);
            Shape found = new Shape(e.getValue().shape());
            if (!found.equals(p.shape())) {
                wrongShape.add(key + " expected " + p.shape() + " found " + found);
                misShaped.add(p);
                continue;
            }
            // the owned name wins over an alias of the same tensor
            if (!chosen.containsKey(p) || ps.parameters().containsKey(key)) {
                chosen.put(p, e.getValue());
            }
        }
        for (Parameter p : ps.parameters().values()) {
            if ((only == null || only.owns(p.name())) && !chosen.containsKey(p) && !misShaped.contains(p)) {
                missing.add(p.name() + " " + p.shape());
            }
        }
        if (!missing.isEmpty() || !unexpected.isEmpty() || !wrongShape.isEmpty()) {
            throw new CheckpointMismatchException(source, missing, unexpected, wrongShape);
        }
        chosen.forEach((p, t) -> p.set(toNDArray(t, manager)));
    }

    /** A float32 NDArray of the tensor, on the given manager. */
    public static NDArray toNDArray(RawTensor t, NDManager manager) {
        RawTensor f = t.dtype() == DType.F32 ? t : t.asF32();
        // Always a private copy: the engine wraps a direct buffer without copying, and a memory-mapped checkpoint
        // is read-only (in-place updates during training would fault) and may be unmapped.
        java.nio.ByteBuffer direct = java.nio.ByteBuffer.allocateDirect(f.data().remaining())
                .order(java.nio.ByteOrder.nativeOrder());
        direct.asFloatBuffer().put(f.data().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
        return manager.create(direct, new Shape(f.shape()), DataType.FLOAT32);
    }
}
