package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import org.blip4j.nn.Init;
import org.blip4j.nn.LayerNorm;
import org.blip4j.nn.Ops;
import org.blip4j.onnx.OnnxGraph;
import org.blip4j.nn.Parameter;
import org.blip4j.nn.ParameterSet;

/**
 * The MED text embeddings (orig {@code models/med.py} {@code BertEmbeddings}): word + absolute position embedding,
 * LayerNorm, dropout. No token-type embeddings. Checkpoint names {@code <prefix>.embeddings.*}.
 */
final class TextEmbeddings {
    private final Parameter word;
    private final Parameter position;
    private final LayerNorm norm;
    private final double dropout;

    TextEmbeddings(ParameterSet ps, String prefix, TextConfig cfg) {
        int h = cfg.hiddenSize();
        word = ps.register(prefix + ".embeddings.word_embeddings.weight", new Shape(cfg.vocabSize(), h), Init.NORMAL);
        position = ps.register(prefix + ".embeddings.position_embeddings.weight",
                new Shape(cfg.maxPositionEmbeddings(), h), Init.NORMAL);
        norm = new LayerNorm(ps, prefix + ".embeddings.LayerNorm", h, cfg.layerNormEps());
        dropout = cfg.hiddenDropoutProb();
    }

    private TextEmbeddings(TextEmbeddings shared, ParameterSet ps, String prefix) {
        word = shared.word;
        position = shared.position;
        ps.alias(prefix + ".embeddings.word_embeddings.weight", word);
        ps.alias(prefix + ".embeddings.position_embeddings.weight", position);
        norm = shared.norm.sharedAs(ps, prefix + ".embeddings.LayerNorm");
        dropout = shared.dropout;
    }

    /** The same tensors, also named under {@code prefix} (pre-training's decoder shares the encoder's). */
    TextEmbeddings sharedAs(ParameterSet ps, String prefix) {
        return new TextEmbeddings(this, ps, prefix);
    }

    Parameter word() {
        return word;
    }

    /** The same in an ONNX graph (inference): ids (B, L) int64 at positions (L) int64 → (B, L, H). */
    String toOnnx(OnnxGraph g, String ids, String positions) {
        String x = g.op("Add", g.op("Gather", g.weight(word), ids), g.op("Gather", g.weight(position), positions));
        return norm.toOnnx(g, x);
    }

    /** ids (B, L) at absolute positions {@code past .. past+L-1} → (B, L, H). */
    NDArray forward(NDArray ids, int past, boolean training) {
        long len = ids.getShape().get(1);
        long max = position.shape().get(0);
        if (past + len > max) {
            throw new IllegalArgumentException("text of " + (past + len) + " positions exceeds max_position_embeddings "
                    + max);
        }
        NDArray x = Embedding.embedding(ids.toType(DataType.INT64, false), word.array(), SparseFormat.DENSE)
                .singletonOrThrow();
        x = x.add(position.array().get(new NDIndex("{}:{}", past, past + len)));
        return Ops.dropout(norm.forward(x), dropout, training);
    }
}
