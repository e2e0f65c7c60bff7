package org.blip4j.ort;

import ai.djl.ndarray.NDArray;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.blip4j.generate.DecoderStepProvider;
import org.blip4j.generate.StepRows;

/**
 * The decoder's steps in ONNX Runtime. Cross-attention keys/values are projected once per input and shared by its
 * rows; self-attention keys/values stay native between steps (the previous step's outputs are the next one's
 * inputs) and are reordered for beam search inside the graph, so a step moves only tokens in and logits out. The
 * graph writes the logits into a direct buffer this session owns, read from there row by row (StepRows#split):
 * ONNX Runtime's own conversion to Java arrays took 9 ms of a 60 ms step.
 */
final class OrtDecoderStep implements DecoderStepProvider.DecoderSession {
    private final SessionRunner decoder;
    private final OrtSession.Result crossKv;
    private final int layers;
    private final int rows;
    private final long inputs;
    private final long hidden;
    private final FloatBuffer logits;
    private final OnnxTensor logitsOut;
    private OrtSession.Result previous;
    private OnnxTensor emptyPast;
    private long[] beamIdx;
    private int length;

    OrtDecoderStep(OrtEngine engine, SessionRunner crossKvSession, SessionRunner decoder, NDArray encoderStates,
            int rowsPerInput) {
        this.decoder = decoder;
        this.layers = engine.layers();
        this.inputs = encoderStates.getShape().get(0);
        this.rows = (int) inputs * rowsPerInput;
        this.hidden = engine.model().config().text().hiddenSize();
        try (OnnxTensor states = OrtTensors.floats(encoderStates)) {
            this.crossKv = crossKvSession.run(Map.of("encoder_states", states));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cross-attention pass failed: " + e.getMessage(), e);
        }
        this.emptyPast = OrtTensors.floats(new float[0], rows, 0, hidden);
        long vocab = engine.model().config().text().vocabSize();
        this.logits = ByteBuffer.allocateDirect(Math.toIntExact(rows * vocab * Float.BYTES))
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        try {
            this.logitsOut = OnnxTensor.createTensor(OrtSessions.environment(), logits, new long[] {rows, vocab});
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not wrap the logits buffer: " + e.getMessage(), e);
        }
        this.beamIdx = OrtEngine.range(0, rows);
    }

    @Override
    public float[][] step(long[][] newTokens) {
        long[] flat = StepRows.flatten(newTokens, rows);
        int len = newTokens[0].length;
        int total = length + len;
        float[] bias = new float[len * total];
        for (int i = 0; i < len; i++) {
            for (int j = 0; j < total; j++) {
                bias[i * total + j] = j <= length + i ? 0f : OrtEngine.SELF_MASK; // causal: keys up to own position
            }
        }
        Map<String, OnnxTensor> owned = new HashMap<>();
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            owned.put("ids", OrtTensors.longs(flat, rows, len));
            owned.put("positions", OrtTensors.longs(OrtEngine.range(length, len), len));
            owned.put("self_bias", OrtTensors.floats(bias, 1, 1, len, total));
            owned.put("grouped_shape", OrtTensors.longs(new long[] {inputs, (long) rows / inputs * len, hidden}, 3));
            owned.put("rows_shape", OrtTensors.longs(new long[] {rows, len, hidden}, 3));
            owned.put("beam_idx", OrtTensors.longs(beamIdx, rows));
            in.putAll(owned);
            for (int i = 0; i < layers; i++) {
                in.put("past_k_" + i, previous == null ? emptyPast : tensor(previous, "present_k_" + i));
                in.put("past_v_" + i, previous == null ? emptyPast : tensor(previous, "present_v_" + i));
                in.put("cross_k_" + i, tensor(crossKv, "cross_k_" + i));
                in.put("cross_v_" + i, tensor(crossKv, "cross_v_" + i));
            }
            OrtSession.Result out = decoder.run(in, Map.of("logits", logitsOut));
            if (previous != null) {
                previous.close();
            }
            previous = out;
            length = total;
            beamIdx = OrtEngine.range(0, rows);
            return StepRows.split(logits, rows);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime decoder step failed: " + e.getMessage(), e);
        } finally {
            owned.values().forEach(OnnxTensor::close);
        }
    }

    private static OnnxTensor tensor(OrtSession.Result result, String name) {
        OnnxValue v = result.get(name).orElseThrow(() -> new IllegalStateException("graph output " + name));
        return (OnnxTensor) v;
    }

    /** Row r of the next step continues row newRows[r] of this one (applied by the next step's graph). */
    @Override
    public void reorder(int[] newRows) {
        if (newRows.length != rows) {
            throw new IllegalArgumentException("expected " + rows + " rows, got " + newRows.length);
        }
        long[] next = new long[rows];
        for (int r = 0; r < rows; r++) {
            next[r] = beamIdx[newRows[r]];
        }
        beamIdx = next;
    }

    @Override
    public void close() {
        if (previous != null) {
            previous.close();
            previous = null;
        }
        crossKv.close();
        emptyPast.close();
        logitsOut.close();
    }
}
