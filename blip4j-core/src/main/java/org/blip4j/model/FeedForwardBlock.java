package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import org.blip4j.nn.LayerNorm;
import org.blip4j.nn.Linear;
import org.blip4j.nn.Ops;
import org.blip4j.onnx.OnnxGraph;
import org.blip4j.onnx.OnnxOps;
import org.blip4j.nn.ParameterSet;

/**
 * A text layer's feed-forward part (orig {@code models/med.py} {@code BertIntermediate} + {@code BertOutput}):
 * {@code LN(x + W2·gelu(W1·x))}. Checkpoint names {@code <layer>.intermediate.dense}, {@code <layer>.output.dense},
 * {@code <layer>.output.LayerNorm}.
 */
final class FeedForwardBlock {
    private final Linear intermediate;
    private final Linear output;
    private final LayerNorm norm;
    private final double hiddenDropout;

    FeedForwardBlock(ParameterSet ps, String layer, TextConfig cfg) {
        int h = cfg.hiddenSize();
        intermediate = new Linear(ps, layer + ".intermediate.dense", h, cfg.intermediateSize(), true);
        output = new Linear(ps, layer + ".output.dense", cfg.intermediateSize(), h, true);
        norm = new LayerNorm(ps, layer + ".output.LayerNorm", h, cfg.layerNormEps());
        hiddenDropout = cfg.hiddenDropoutProb();
    }

    private FeedForwardBlock(FeedForwardBlock s, ParameterSet ps, String layer) {
        intermediate = s.intermediate.sharedAs(ps, layer + ".intermediate.dense");
        output = s.output.sharedAs(ps, layer + ".output.dense");
        norm = s.norm.sharedAs(ps, layer + ".output.LayerNorm");
        hiddenDropout = s.hiddenDropout;
    }

    /** The same tensors, also named under {@code layer}. */
    FeedForwardBlock sharedAs(ParameterSet ps, String layer) {
        return new FeedForwardBlock(this, ps, layer);
    }

    String toOnnx(OnnxGraph g, String x) {
        String h = output.toOnnx(g, OnnxOps.gelu(g, intermediate.toOnnx(g, x)));
        return norm.toOnnx(g, g.op("Add", x, h));
    }

    NDArray forward(NDArray x, boolean training) {
        NDArray h = output.forward(Ops.gelu(intermediate.forward(x)));
        return norm.forward(x.add(Ops.dropout(h, hiddenDropout, training)));
    }
}
