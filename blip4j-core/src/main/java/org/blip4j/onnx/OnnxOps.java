package org.blip4j.onnx;

import org.blip4j.onnx.OnnxGraph.Attr;

/** Graph fragments shared by the exported modules. */
public final class OnnxOps {
    private OnnxOps() {
    }

    /** Exact (erf) GELU: ONNX Runtime's fused contrib kernel. */
    public static String gelu(OnnxGraph g, String x) {
        return g.contrib("Gelu", new Attr[0], x);
    }

    /**
     * softmax(q·kᵀ/√d + bias)·v over {@code heads} heads, inputs and output (B, L, H·d): ONNX Runtime's fused
     * MultiHeadAttention. {@code bias}: an additive (B or 1, 1 or H, Lq, Lk) tensor, or null.
     */
    public static String attention(OnnxGraph g, String q, String k, String v, String bias, int heads) {
        Attr[] attrs = {Attr.i("num_heads", heads)};
        if (bias == null) {
            return g.contrib("MultiHeadAttention", attrs, q, k, v);
        }
        // inputs: query, key, value, bias (of the projections, unused), key_padding_mask, attention_bias
        return g.contrib("MultiHeadAttention", attrs, q, k, v, "", "", bias);
    }

    /** x (B, …) broadcast of a (1, …) constant along the batch of {@code like}: Expand to [B, dims…]. */
    public static String expandBatch(OnnxGraph g, String constant, String like, long... dims) {
        String batch = g.op("Gather", new Attr[] {Attr.i("axis", 0)}, g.op("Shape", like), g.longs("zero", 0));
        String shape = g.op("Concat", new Attr[] {Attr.i("axis", 0)}, batch, g.longs("dims", dims));
        return g.op("Expand", constant, shape);
    }
}
