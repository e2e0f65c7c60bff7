package org.blip4j.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteOrder;
import org.blip4j.model.BlipModel;
import org.blip4j.model.DecoderCache;

/**
 * The step function over BLIP's image-grounded decoder with a self-attention KV cache. With the cross-attention
 * cache (default) the encoder states are given once per input (B rows) and shared by that input's decoder rows;
 * without it they are repeated per row and re-projected every step, as the official code does.
 */
public final class DecoderStep implements DecoderStepProvider.DecoderSession {
    private final BlipModel model;
    private final NDManager manager;
    private final NDArray encoderStates;
    private final NDArray encoderMask;
    private final DecoderCache cache;
    private final int rows;

    /**
     * @param encoderStates (B, Le, W): image embeddings (captioning) or question states (VQA)
     * @param encoderMask (B, Le) or null for all ones
     * @param rowsPerInput decoder rows per input (beams or samples)
     * @param cacheCrossAttention compute cross-attention keys/values once per input
     */
    public DecoderStep(BlipModel model, NDArray encoderStates, NDArray encoderMask, int rowsPerInput,
            boolean cacheCrossAttention) {
        this.model = model;
        this.manager = encoderStates.getManager().newSubManager();
        long inputs = encoderStates.getShape().get(0);
        this.rows = (int) inputs * rowsPerInput;
        int layers = model.config().text().numHiddenLayers();
        if (cacheCrossAttention) {
            this.encoderStates = encoderStates;
            this.encoderMask = encoderMask;
            this.cache = new DecoderCache(layers, true);
        } else {
            this.encoderStates = repeatRows(encoderStates, rowsPerInput);
            this.encoderMask = encoderMask == null ? null : repeatRows(encoderMask, rowsPerInput);
            this.cache = new DecoderCache(layers, false);
        }
    }

    private NDArray repeatRows(NDArray x, int times) {
        if (times == 1) {
            return x;
        }
        NDArray r = x.repeat(0, times);
        r.attach(manager);
        return r;
    }

    @Override
    public float[][] step(long[][] newTokens) {
        long[] flat = StepRows.flatten(newTokens, rows);
        int len = newTokens[0].length;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray ids = manager.create(flat, new Shape(rows, len));
            NDArray logits = model.decoderLogits(ids, null, encoderStates, encoderMask, cache, false);
            NDArray last = logits.get(":, -1, :").toType(DataType.FLOAT32, false);
            // a direct copy outside the Java heap, read row by row (StepRows#split says why)
            return StepRows.split(last.toByteBuffer().order(ByteOrder.nativeOrder()).asFloatBuffer(), rows);
        }
    }

    @Override
    public void reorder(int[] newRows) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            long[] idx = new long[newRows.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = newRows[i];
            }
            cache.reorder(manager.create(idx));
        }
    }

    @Override
    public void close() {
        cache.close();
        manager.close();
    }
}
