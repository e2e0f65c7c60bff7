package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.blip4j.nn.Init;
import org.blip4j.nn.LayerNorm;
import org.blip4j.nn.Linear;
import org.blip4j.nn.Ops;
import org.blip4j.onnx.OnnxGraph;
import org.blip4j.onnx.OnnxOps;
import org.blip4j.nn.Parameter;
import org.blip4j.nn.ParameterSet;

/**
 * BERT LM head ({@code cls.predictions}): dense → GELU → LayerNorm → tied decoder (= word embeddings) + bias.
 * The checkpoint may also carry {@code decoder.weight} / {@code decoder.bias}: aliases of the tied tensors.
 */
public final class LmHead {
    private final Linear transform;
    private final LayerNorm norm;
    private final Parameter wordEmbeddings;
    private final Parameter bias;

    public LmHead(ParameterSet ps, String prefix, TextConfig cfg, Parameter wordEmbeddings) {
        int h = cfg.hiddenSize();
        transform = new Linear(ps, prefix + ".transform.dense", h, h, true);
        norm = new LayerNorm(ps, prefix + ".transform.LayerNorm", h, cfg.layerNormEps());
        bias = ps.register(prefix + ".bias", new Shape(cfg.vocabSize()), Init.ZEROS);
        this.wordEmbeddings = wordEmbeddings;
        ps.alias(prefix + ".decoder.weight", wordEmbeddings);
        ps.alias(prefix + ".decoder.bias", bias);
    }

    /** The same in an ONNX graph for 2-D hidden states (R, H) → logits (R, V). */
    public String toOnnx(OnnxGraph g, String hidden) {
        String h = norm.toOnnx(g, OnnxOps.gelu(g, transform.toOnnx(g, hidden)));
        return g.op("Gemm", new OnnxGraph.Attr[] {OnnxGraph.Attr.i("transB", 1)}, h, g.weight(wordEmbeddings),
                g.weight(bias));
    }

    /** hidden (B, L, H) → logits (B, L, V). */
    public NDArray forward(NDArray hidden) {
        NDArray h = norm.forward(Ops.gelu(transform.forward(hidden)));
        Shape s = h.getShape();
        long width = s.get(s.dimension() - 1);
        long vocab = wordEmbeddings.shape().get(0);
        NDArray rows = h.reshape(s.size() / width, width);
        // E·hᵀ, not h·Eᵀ: with the word embeddings E as the left operand, backward gives their gradient a matrix of
        // its own rather than a transposed view of one. Autograd then adds the tied embedding lookups' gradients into
        // it in place; into a view it cannot, and the fresh (V, H) sum took 0.1–0.17 s per base-size training step.
        NDArray logits = wordEmbeddings.array().matMul(rows.transpose()).transpose();
        return logits.add(bias.array()).reshape(s.slice(0, s.dimension() - 1).add(vocab));
    }
}
