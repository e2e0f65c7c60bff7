package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import org.blip4j.nn.LayerNorm;
import org.blip4j.nn.Linear;
import org.blip4j.nn.Ops;
import org.blip4j.onnx.OnnxGraph;
import org.blip4j.onnx.OnnxOps;
import org.blip4j.nn.ParameterSet;

/**
 * A text layer's self-attention with its output (orig {@code models/med.py} {@code BertAttention} without
 * cross-attention: {@code BertSelfAttention} + {@code BertSelfOutput}), post-LN:
 * {@code LN(x + dense(MHA(x, x, x, mask)))}. Checkpoint names {@code <layer>.attention.self.{query,key,value}},
 * {@code <layer>.attention.output.{dense,LayerNorm}}.
 */
final class SelfAttentionBlock {
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear out;
    private final LayerNorm norm;
    private final int heads;
    private final double hiddenDropout;
    private final double attnDropout;

    SelfAttentionBlock(ParameterSet ps, String layer, TextConfig cfg) {
        int h = cfg.hiddenSize();
        query = new Linear(ps, layer + ".attention.self.query", h, h, true);
        key = new Linear(ps, layer + ".attention.self.key", h, h, true);
        value = new Linear(ps, layer + ".attention.self.value", h, h, true);
        out = new Linear(ps, layer + ".attention.output.dense", h, h, true);
        norm = new LayerNorm(ps, layer + ".attention.output.LayerNorm", h, cfg.layerNormEps());
        heads = cfg.numAttentionHeads();
        hiddenDropout = cfg.hiddenDropoutProb();
        attnDropout = cfg.attentionProbsDropoutProb();
    }

    /**
     * The same in an ONNX graph (inference). {@code past}: null, or this layer's cached (keys, values) (R, P, H)
     * already in this step's row order; then {@code present} receives the extended (keys, values).
     */
    String toOnnx(OnnxGraph g, String x, String bias, String[] past, String[] present) {
        return toOnnx(g, x, x, bias, past, present);
    }

    /**
     * As above with the queries (and the residual) taken from {@code queries}, a subset of the rows of {@code x}
     * whose keys and values are attended to; {@code bias} matches the queries.
     */
    String toOnnx(OnnxGraph g, String queries, String x, String bias, String[] past, String[] present) {
        String q;
        String k;
        String v;
        if (queries.equals(x) && !g.quantizesLinear()) {
            // one (H, 3H) product instead of three (H, H) ones: a wider GEMM keeps the cores busier on few rows
            java.util.List<String> qkv = g.opN("Split", null, 3, new OnnxGraph.Attr[] {OnnxGraph.Attr.i("axis", -1)},
                    g.op("Add", g.op("MatMul", x, g.weightsTransposedSideBySide(query.weight(), key.weight(),
                            value.weight())), g.concatenated(query.bias(), key.bias(), value.bias())));
            q = qkv.get(0);
            k = qkv.get(1);
            v = qkv.get(2);
        } else {
            q = query.toOnnx(g, queries);
            k = key.toOnnx(g, x);
            v = value.toOnnx(g, x);
        }
        if (past != null) {
            OnnxGraph.Attr[] seq = {OnnxGraph.Attr.i("axis", 1)};
            k = g.op("Concat", seq, past[0], k);
            v = g.op("Concat", seq, past[1], v);
            present[0] = k;
            present[1] = v;
        }
        String ctx = OnnxOps.attention(g, q, k, v, bias, heads);
        return norm.toOnnx(g, g.op("Add", queries, out.toOnnx(g, ctx)));
    }

    /**
     * @param mask additive mask broadcastable to (B, heads, L, keys)
     * @param cache with a decoder cache, this step's keys/values are appended to layer {@code index}'s and the
     *     queries attend to all of them
     */
    NDArray forward(NDArray x, NDArray mask, DecoderCache cache, int index, boolean training) {
        return forward(x, x, mask, cache, index, training);
    }

    /**
     * As above with the queries (and the residual) taken from {@code queries}, a subset of the rows of {@code x}
     * whose keys and values are attended to; {@code mask} matches the queries.
     */
    NDArray forward(NDArray queries, NDArray x, NDArray mask, DecoderCache cache, int index, boolean training) {
        NDArray q = Ops.splitHeads(query.forward(queries), heads);
        NDArray k = Ops.splitHeads(key.forward(x), heads);
        NDArray v = Ops.splitHeads(value.forward(x), heads);
        if (cache != null) {
            NDArray[] kv = cache.appendSelf(index, k, v);
            k = kv[0];
            v = kv[1];
        }
        NDArray ctx = Ops.mergeHeads(Ops.attention(q, k, v, mask, attnDropout, training));
        return norm.forward(queries.add(Ops.dropout(out.forward(ctx), hiddenDropout, training)));
    }
}
