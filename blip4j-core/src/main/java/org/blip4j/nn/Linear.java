package org.blip4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** y = x·Wᵀ + b, with PyTorch's weight layout (out, in). Names: {@code <prefix>.weight}, {@code <prefix>.bias}. */
public final class Linear {
    private final Parameter weight;
    private final Parameter bias;

    public Linear(ParameterSet ps, String prefix, int in, int out, boolean withBias) {
        this.weight = ps.register(prefix + ".weight", new Shape(out, in), Init.NORMAL);
        this.bias = withBias ? ps.register(prefix + ".bias", new Shape(out), Init.ZEROS) : null;
    }

    /** Declares this layer's weights also under {@code prefix} (a module shared between two model paths). */
    public Linear sharedAs(ParameterSet ps, String prefix) {
        ps.alias(prefix + ".weight", weight);
        if (bias != null) {
            ps.alias(prefix + ".bias", bias);
        }
        return this;
    }

    public NDArray forward(NDArray x) {
        return ai.djl.nn.core.Linear.linear(x, weight.array(), bias == null ? null : bias.array()).singletonOrThrow();
    }

    /** The same layer in an ONNX graph: MatMul with the transposed weight (in, out), then Add. */
    public String toOnnx(org.blip4j.onnx.OnnxGraph g, String x) {
        if (g.quantizesLinear()) {
            String[] q = g.weightInt8(weight);
            return g.contrib("DynamicQuantizeMatMul", new org.blip4j.onnx.OnnxGraph.Attr[0], x, q[0], q[1], "",
                    bias == null ? "" : g.weight(bias));
        }
        String y = g.op("MatMul", x, g.weightTransposed(weight));
        return bias == null ? y : g.op("Add", y, g.weight(bias));
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }
}
