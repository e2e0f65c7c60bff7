package org.blip4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** LayerNorm over the last axis; eps comes from the config (ViT 1e-6 / HF 1e-5, BERT 1e-12). */
public final class LayerNorm {
    private final Parameter weight;
    private final Parameter bias;
    private final Shape normalized;
    private final float eps;

    public LayerNorm(ParameterSet ps, String prefix, int dim, double eps) {
        this.weight = ps.register(prefix + ".weight", new Shape(dim), Init.ONES);
        this.bias = ps.register(prefix + ".bias", new Shape(dim), Init.ZEROS);
        this.normalized = new Shape(dim);
        this.eps = (float) eps;
    }

    /** Declares this norm's weights also under {@code prefix}. */
    public LayerNorm sharedAs(ParameterSet ps, String prefix) {
        ps.alias(prefix + ".weight", weight);
        ps.alias(prefix + ".bias", bias);
        return this;
    }

    /** The same norm in an ONNX graph (LayerNormalization over the last axis). */
    public String toOnnx(org.blip4j.onnx.OnnxGraph g, String x) {
        return g.op("LayerNormalization", new org.blip4j.onnx.OnnxGraph.Attr[] {
            org.blip4j.onnx.OnnxGraph.Attr.i("axis", -1), org.blip4j.onnx.OnnxGraph.Attr.f("epsilon", eps)},
            x, g.weight(weight), g.weight(bias));
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.norm.LayerNorm.layerNorm(x, normalized, weight.array(), bias.array(), eps).singletonOrThrow();
    }
}
