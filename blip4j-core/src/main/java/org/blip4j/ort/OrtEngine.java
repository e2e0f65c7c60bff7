package org.blip4j.ort;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.engine.Engines;
import org.blip4j.generate.DecoderStepProvider;
import org.blip4j.model.BlipModel;
import org.blip4j.model.FrozenInference;
import org.blip4j.model.Part;
import org.blip4j.model.TextTransformer;
import org.blip4j.onnx.OnnxGraph;

/**
 * ONNX Runtime as the CPU inference engine of a frozen {@link BlipModel}: the same modules, exported to graphs
 * built from the model's own definitions and current weights (docs/BENCHMARKS.md says why: MLAS GEMMs and fused
 * attention). Each graph is built and loaded on first use. Outputs equal the libtorch path within float rounding
 * (OrtEngineParityTest).
 */
public final class OrtEngine implements FrozenInference, DecoderStepProvider {
    static final float SELF_MASK = -10000f;

    private final BlipModel model;
    private final int threads;
    /** Sessions by graph name, each built and loaded on first use. */
    private final Map<String, SessionRunner> sessions = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicLong runs = new java.util.concurrent.atomic.AtomicLong();

    private final boolean int8;

    private OrtEngine(BlipModel model, int threads, boolean int8) {
        this.model = model;
        this.threads = threads;
        this.int8 = int8;
    }

    /** Attaches a new engine to {@code model} (whose weights must not change any more) and returns it. */
    public static OrtEngine attach(BlipModel model, int threads) {
        return attach(model, threads, false);
    }

    /** @param int8 the Linear layers in int8 (OnnxGraph#quantizeLinear): faster, less exact; opt-in */
    public static OrtEngine attach(BlipModel model, int threads, boolean int8) {
        OrtEngine engine = new OrtEngine(model, threads, int8);
        model.useFrozenInference(engine);
        return engine;
    }

    /**
     * Attaches the engine that {@code --engine}, {@code --quantize} and {@code --threads} chose ({@link Engines}) for
     * inference on {@code device}, or nothing when libtorch runs inference there. Returns the engine or null.
     */
    public static OrtEngine attachAsConfigured(BlipModel model, ai.djl.Device device) {
        if (!Engines.onnxInference(device)) {
            return null;
        }
        return attach(model, Engines.inferenceThreads(), Engines.quantizeInt8());
    }

    private OnnxGraph graph(String name) {
        return new OnnxGraph(name).quantizeLinear(int8);
    }

    /** Graph runs so far (vision, text, decoder steps): tells tests and benchmarks that this engine did the work. */
    public long runs() {
        return runs.get();
    }

    void countRun() {
        runs.incrementAndGet();
    }

    BlipModel model() {
        return model;
    }

    /**
     * Image tokens per vision run: a larger batch is run in slices of this many tokens' worth of images (at least
     * one). Each slice's activations then stay in the shared cache (base at 384: 2 images, 14 MB of feed-forward
     * activations, against 56 MB for 8), which measured 7% more images/s than one run of 8 (docs/BENCHMARKS.md).
     */
    static final int VISION_TOKENS_PER_RUN = 1200;

    @Override
    public NDArray imageEmbeds(NDArray pixels) {
        return imageEmbeds(pixels, VISION_TOKENS_PER_RUN);
    }

    NDArray imageEmbeds(NDArray pixels, int tokensPerRun) {
        long n = pixels.getShape().get(0);
        long perRun = Math.max(1, tokensPerRun / model.config().vision().seqLength());
        if (n <= perRun) {
            return visionRun(pixels);
        }
        NDList slices = new NDList();
        try {
            for (long from = 0; from < n; from += perRun) {
                try (NDArray slice = pixels.get("{}:{}", from, Math.min(n, from + perRun))) {
                    slices.add(visionRun(slice));
                }
            }
            return NDArrays.concat(slices, 0);
        } finally {
            slices.close();
        }
    }

    private NDArray visionRun(NDArray pixels) {
        try (OnnxTensor in = OrtTensors.floats(pixels);
             OrtSession.Result out = session("vision", this::visionGraph).run(Map.of("pixels", in))) {
            countRun();
            return OrtTensors.toArray(out.get(0), pixels.getManager());
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime vision pass failed: " + e.getMessage(), e);
        }
    }

    /** The session of graph {@code name}, built under the engine's lock; each runs on its own (SessionRunner). */
    private synchronized SessionRunner session(String name, java.util.function.Supplier<byte[]> graph) {
        SessionRunner s = sessions.get(name);
        if (s == null) {
            s = OrtSessions.create(name, graph.get(), threads);
            sessions.put(name, s);
        }
        return s;
    }

    private byte[] visionGraph() {
        OnnxGraph g = graph("blip4j_vision");
        int s = model.config().vision().imageSize();
        String px = g.input("pixels", OnnxGraph.FLOAT, "batch", 3L, (long) s, (long) s);
        g.output(model.vision().toOnnx(g, px), "embeds", OnnxGraph.FLOAT, "batch",
                (long) model.config().vision().seqLength(), (long) model.config().vision().hiddenSize());
        return g.toModel();
    }

    @Override
    public NDArray textHidden(NDArray ids, NDArray mask) {
        return runEncoder(session("text", () -> encoderGraph(false, false, false)), ids, mask, null);
    }

    @Override
    public NDArray textCls(NDArray ids, NDArray mask) {
        return runEncoder(session("text-cls", () -> encoderGraph(false, false, true)), ids, mask, null);
    }

    @Override
    public NDArray groundedHidden(NDArray ids, NDArray mask, NDArray imageEmbeds) {
        return runGrounded(ids, mask, imageEmbeds, false);
    }

    @Override
    public NDArray groundedCls(NDArray ids, NDArray mask, NDArray imageEmbeds) {
        return runGrounded(ids, mask, imageEmbeds, true);
    }

    private NDArray runGrounded(NDArray ids, NDArray mask, NDArray imageEmbeds, boolean clsOnly) {
        long queryRows = ids.getShape().get(0) / imageEmbeds.getShape().get(0) * ids.getShape().get(1);
        int heads = model.config().text().numAttentionHeads();
        boolean absorbed = heads * queryRows < imageEmbeds.getShape().get(2);
        String name = "grounded" + (absorbed ? "-absorbed" : "") + (clsOnly ? "-cls" : "");
        return runEncoder(session(name, () -> encoderGraph(true, absorbed, clsOnly)), ids, mask, imageEmbeds);
    }

    /**
     * @param absorbed cross-attention by {@code TextTransformer.Layer#absorbedCrossAttention} (few query rows)
     * @param clsOnly output the first position's hidden state (R, H) only ({@link TextTransformer#clsToOnnx})
     */
    private byte[] encoderGraph(boolean withImage, boolean absorbed, boolean clsOnly) {
        TextTransformer text = model.textEncoder();
        long h = text.config().hiddenSize();
        OnnxGraph g = graph(withImage ? "blip4j_grounded_encoder" : "blip4j_text_encoder");
        String ids = g.input("ids", OnnxGraph.INT64, "rows", "len");
        String positions = g.input("positions", OnnxGraph.INT64, "len");
        String bias = g.input("self_bias", OnnxGraph.FLOAT, "rows", 1L, "len", "len");
        TextTransformer.OnnxPass pass;
        if (withImage) {
            String states = g.input("encoder_states", OnnxGraph.FLOAT, "inputs", "enc_len",
                    "enc_width");
            pass = new TextTransformer.OnnxPass(ids, positions, bias,
                    absorbed ? null : text.crossKeyValuesToOnnx(g, states), null,
                    g.input("grouped_shape", OnnxGraph.INT64, 3L), g.input("rows_shape", OnnxGraph.INT64, 3L), null,
                    null, absorbed ? states : null);
        } else {
            pass = new TextTransformer.OnnxPass(ids, positions, bias, null, null, null, null, null, null, null);
        }
        if (clsOnly) {
            g.output(text.clsToOnnx(g, pass), "cls", OnnxGraph.FLOAT, "rows", h);
        } else {
            g.output(text.toOnnx(g, pass), "hidden", OnnxGraph.FLOAT, "rows", "len", h);
        }
        return g.toModel();
    }

    private NDArray runEncoder(SessionRunner session, NDArray ids, NDArray mask, NDArray states) {
        long rows = ids.getShape().get(0);
        int len = (int) ids.getShape().get(1);
        long h = model.config().text().hiddenSize();
        long[] m = mask == null ? null : mask.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
        float[] bias = new float[(int) rows * len * len];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < len; i++) {
                for (int j = 0; j < len; j++) {
                    bias[(r * len + i) * len + j] = m == null ? 0f : (1f - m[r * len + j]) * SELF_MASK;
                }
            }
        }
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            in.put("ids", OrtTensors.longs(ids));
            in.put("positions", OrtTensors.longs(range(0, len), len));
            in.put("self_bias", OrtTensors.floats(bias, rows, 1, len, len));
            if (states != null) {
                long inputs = states.getShape().get(0);
                if (rows % inputs != 0) {
                    throw new IllegalArgumentException(rows + " text rows cannot share " + inputs + " image rows");
                }
                in.put("encoder_states", OrtTensors.floats(states));
                in.put("grouped_shape", OrtTensors.longs(new long[] {inputs, rows / inputs * len, h}, 3));
                in.put("rows_shape", OrtTensors.longs(new long[] {rows, len, h}, 3));
            }
            try (OrtSession.Result out = session.run(in)) {
                countRun();
                return OrtTensors.toArray(out.get(0), ids.getManager());
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime text pass failed: " + e.getMessage(), e);
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    static long[] range(long from, int count) {
        long[] r = new long[count];
        for (int i = 0; i < count; i++) {
            r[i] = from + i;
        }
        return r;
    }

    @Override
    public DecoderSession openDecoder(NDArray encoderStates, NDArray encoderMask, int rowsPerInput) {
        if (encoderMask != null) {
            // no caller pads encoder states today; libtorch handles the general case
            return new org.blip4j.generate.DecoderStep(model, encoderStates, encoderMask, rowsPerInput, true);
        }
        SessionRunner crossKv = session("cross-kv", this::crossKvGraph);
        SessionRunner step = session("decoder", this::decoderGraph);
        countRun();
        return new OrtDecoderStep(this, crossKv, step, encoderStates, rowsPerInput);
    }

    int layers() {
        return model.config().text().numHiddenLayers();
    }

    private byte[] crossKvGraph() {
        OnnxGraph g = graph("blip4j_decoder_cross_kv");
        long h = model.config().text().hiddenSize();
        String states = g.input("encoder_states", OnnxGraph.FLOAT, "inputs", "enc_len",
                "enc_width");
        long heads = model.config().text().numAttentionHeads();
        List<String[]> kv = model.textDecoder().crossKeyValuesToOnnx(g, states);
        for (int i = 0; i < kv.size(); i++) {
            g.output(kv.get(i)[0], "cross_k_" + i, OnnxGraph.FLOAT, "inputs", heads, "enc_len", h / heads);
            g.output(kv.get(i)[1], "cross_v_" + i, OnnxGraph.FLOAT, "inputs", heads, "enc_len", h / heads);
        }
        return g.toModel();
    }

    /** One decoding step: new tokens, cached keys/values (reordered by beam_idx) → last position's logits. */
    private byte[] decoderGraph() {
        model.require(Part.TEXT_DECODER, "text decoding");
        OnnxGraph g = graph("blip4j_decoder_step");
        long h = model.config().text().hiddenSize();
        long heads = model.config().text().numAttentionHeads();
        String ids = g.input("ids", OnnxGraph.INT64, "rows", "len");
        String positions = g.input("positions", OnnxGraph.INT64, "len");
        String bias = g.input("self_bias", OnnxGraph.FLOAT, 1L, 1L, "len", "total");
        String grouped = g.input("grouped_shape", OnnxGraph.INT64, 3L);
        String rowsShape = g.input("rows_shape", OnnxGraph.INT64, 3L);
        String beamIdx = g.input("beam_idx", OnnxGraph.INT64, "rows");
        List<String[]> past = new ArrayList<>();
        List<String[]> cross = new ArrayList<>();
        OnnxGraph.Attr[] rowsAxis = {OnnxGraph.Attr.i("axis", 0)};
        for (int i = 0; i < layers(); i++) {
            String k = g.input("past_k_" + i, OnnxGraph.FLOAT, "rows", "past", h);
            String v = g.input("past_v_" + i, OnnxGraph.FLOAT, "rows", "past", h);
            past.add(new String[] {g.op("Gather", rowsAxis, k, beamIdx), g.op("Gather", rowsAxis, v, beamIdx)});
            cross.add(new String[] {g.input("cross_k_" + i, OnnxGraph.FLOAT, "inputs", heads, "enc_len", h / heads),
                g.input("cross_v_" + i, OnnxGraph.FLOAT, "inputs", heads, "enc_len", h / heads)});
        }
        List<String[]> present = new ArrayList<>();
        TextTransformer.OnnxPass pass = new TextTransformer.OnnxPass(ids, positions, bias, cross, null, grouped,
                rowsShape, past, present, null);
        String hidden = model.textDecoder().toOnnx(g, pass);
        String last = g.op("Gather", new OnnxGraph.Attr[] {OnnxGraph.Attr.i("axis", 1)}, hidden,
                g.scalarLong("last", -1));
        g.output(model.lmHead().toOnnx(g, last), "logits", OnnxGraph.FLOAT, "rows",
                (long) model.config().text().vocabSize());
        for (int i = 0; i < present.size(); i++) {
            g.output(present.get(i)[0], "present_k_" + i, OnnxGraph.FLOAT, "rows", "total", h);
            g.output(present.get(i)[1], "present_v_" + i, OnnxGraph.FLOAT, "rows", "total", h);
        }
        return g.toModel();
    }

    @Override
    public synchronized void close() {
        sessions.values().forEach(SessionRunner::close);
        sessions.clear();
    }
}
