package org.blip4j.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.blip4j.checkpoint.CheckpointKeys;
import org.blip4j.checkpoint.RawTensor;

/**
 * Fits a checkpoint's text decoder to the VQA answer decoder, which cross-attends to question states (text width)
 * rather than image embeddings (vision width). A captioning/pre-training decoder's cross-attention key/value
 * weights only fit when the two widths agree; otherwise they are re-initialised, as the original's
 * {@code load_checkpoint} drops shape-mismatched tensors.
 */
final class AnswerDecoderWeights {
    private static final Pattern CROSS_KV = Pattern.compile(
            "^" + Pattern.quote(CheckpointKeys.TEXT_DECODER)
                    + "encoder\\.layer\\.\\d+\\.crossattention\\.self\\.(key|value)\\.weight$");

    private AnswerDecoderWeights() {
    }

    /** Keys of cross-attention key/value weights whose input width is not {@code width}. */
    static List<String> misfits(Map<String, RawTensor> weights, int width) {
        List<String> out = new ArrayList<>();
        weights.forEach((k, t) -> {
            if (CROSS_KV.matcher(k).matches() && t.shape().length == 2 && t.shape()[1] != width) {
                out.add(k);
            }
        });
        return out;
    }

    /** A copy of {@code weights} with the misfits replaced by fresh N(0, std) tensors of input width {@code width}. */
    static Map<String, RawTensor> fit(Map<String, RawTensor> weights, List<String> misfits, int width, double std,
            long seed, NDManager manager) {
        Map<String, RawTensor> out = new LinkedHashMap<>(weights);
        ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed((int) (seed * 31 + 7));
        try (NDManager m = manager.newSubManager()) {
            for (String k : misfits) {
                long rows = weights.get(k).shape()[0];
                // a heap copy: the engine's byte view of a tensor dies with the sub-manager
                float[] values = m.randomNormal(0f, (float) std, new Shape(rows, width), DataType.FLOAT32)
                        .toFloatArray();
                out.put(k, RawTensor.ofFloats(values, rows, width));
            }
        }
        return out;
    }
}
