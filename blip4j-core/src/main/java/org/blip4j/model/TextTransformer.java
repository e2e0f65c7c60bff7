package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.blip4j.nn.LayerNorm;
import org.blip4j.nn.Linear;
import org.blip4j.nn.Ops;
import org.blip4j.nn.Parameter;
import org.blip4j.nn.ParameterSet;
import org.blip4j.nn.Scoped;
import org.blip4j.onnx.OnnxGraph;
import org.blip4j.onnx.OnnxOps;

/**
 * The MED text transformer (orig {@code models/med.py}, a transformers-4.15 BERT fork; docs/MODEL.md): one class,
 * three modes. Post-LN layers of self-attention, optional cross-attention to encoder states, feed-forward.
 * No token-type embeddings, absolute positions from the cache offset, no pooler.
 */
public final class TextTransformer {
    /** Additive mask value for self-attention (orig and HF ≤ 4.x). */
    static final float SELF_MASK = -10000f;
    /** Additive mask value for cross-attention (transformers 4.15 invert_attention_mask, fp32). */
    static final float CROSS_MASK = -1e9f;

    private final TextConfig cfg;
    private final TextEmbeddings embeddings;
    private final List<Layer> layers = new ArrayList<>();

    /**
     * @param crossWidth key/value input width of cross-attention: the vision width, or the text width for the
     *     VQA answer decoder that attends to question states
     */
    public TextTransformer(ParameterSet ps, String prefix, TextConfig cfg, int crossWidth) {
        this.cfg = cfg;
        embeddings = new TextEmbeddings(ps, prefix, cfg);
        for (int i = 0; i < cfg.numHiddenLayers(); i++) {
            layers.add(new Layer(ps, prefix + ".encoder.layer." + i, cfg, crossWidth));
        }
    }

    /**
     * Pre-training's decoder (orig {@code models/blip_pretrain.py} {@code tie_encoder_decoder_weights}): shares every
     * parameter of {@code shared} except the self-attention blocks (query/key/value, attention output dense and
     * LayerNorm), which are its own. Shared tensors are also named under {@code prefix}, so checkpoints carry them
     * under both names as the original's do.
     */
    public TextTransformer(ParameterSet ps, String prefix, TextTransformer shared) {
        this.cfg = shared.cfg;
        embeddings = shared.embeddings.sharedAs(ps, prefix);
        for (int i = 0; i < cfg.numHiddenLayers(); i++) {
            layers.add(new Layer(ps, prefix + ".encoder.layer." + i, cfg, shared.layers.get(i)));
        }
    }

    public TextConfig config() {
        return cfg;
    }

    public Parameter wordEmbeddings() {
        return embeddings.word();
    }

    /**
     * @param ids (B, L) token ids (int64); with a cache only the new positions
     * @param attentionMask (B, L) or, with a cache, (B, cached + L); 1 = token, 0 = padding; null = all ones
     * @param encoderStates (B, Le, crossWidth), required when the mode uses cross-attention
     * @param encoderMask (B, Le) or null for all ones (images are never padded)
     * @param cache decoder cache or null
     * @return last hidden states (B, L, H)
     */
    public NDArray forward(NDArray ids, NDArray attentionMask, TextMode mode, NDArray encoderStates,
            NDArray encoderMask, DecoderCache cache, boolean training) {
        return forward(ids, attentionMask, mode, encoderStates, null, encoderMask, cache, training, false);
    }

    /**
     * As {@link #forward(NDArray, NDArray, TextMode, NDArray, NDArray, DecoderCache, boolean)} with the encoder
     * side already projected ({@link #crossKeyValues}; unpadded encoder states, no cache).
     */
    public NDArray forward(NDArray ids, NDArray attentionMask, TextMode mode, CrossKeyValues cross, boolean training) {
        requireRowsServed(cross, ids);
        return forward(ids, attentionMask, mode, null, cross, null, null, training, false);
    }

    /**
     * The first ([CLS]) position's last hidden state (B, H), which is all that ITC and ITM read. The last layer
     * computes that one query row (its keys and values still come from every position), so the other L − 1 rows
     * skip its self-attention queries, cross-attention and feed-forward. Exact: the skipped rows feed nothing that
     * is read, so in training they would only have received zero gradient. {@code cross} (projected image keys and
     * values) replaces {@code encoderStates} when given; no padding mask on the encoder side, no cache.
     */
    public NDArray forwardCls(NDArray ids, NDArray attentionMask, TextMode mode, NDArray encoderStates,
            CrossKeyValues cross, boolean training) {
        requireRowsServed(cross, ids);
        NDArray first = forward(ids, attentionMask, mode, encoderStates, cross, null, null, training, true);
        return first.reshape(first.getShape().get(0), cfg.hiddenSize());
    }

    /**
     * Each layer's cross-attention keys/values of {@code encoderStates} (E, Le, crossWidth), projected once so that
     * several passes (ITM positives and negatives, the tied LM decoder) share them. Created in the caller's scope.
     */
    public CrossKeyValues crossKeyValues(NDArray encoderStates) {
        List<Linear[]> projections = new ArrayList<>();
        for (Layer layer : layers) {
            projections.add(new Linear[] {layer.crossKey, layer.crossValue});
        }
        return CrossKeyValues.project(encoderStates, projections, cfg.numAttentionHeads());
    }

    private NDArray forward(NDArray ids, NDArray attentionMask, TextMode mode, NDArray encoderStates,
            CrossKeyValues cross, NDArray encoderMask, DecoderCache cache, boolean training, boolean clsOnly) {
        if (mode.crossAttention && encoderStates == null && cross == null) {
            throw new IllegalArgumentException("text mode " + mode + " needs encoder (image or question) states");
        }
        if (cache != null && !mode.causal) {
            throw new IllegalArgumentException("a decoder cache only makes sense in DECODER mode");
        }
        NDManager m = ids.getManager();
        long b = ids.getShape().get(0);
        long len = ids.getShape().get(1);
        int past = cache == null ? 0 : cache.length();
        NDArray x = embeddings.forward(ids, past, training);

        NDArray selfMask = selfAttentionMask(m, attentionMask, b, len, past, mode.causal);
        NDArray crossMask = null;
        if (mode.crossAttention && encoderMask != null) {
            crossMask = encoderMask.toType(DataType.FLOAT32, false).reshape(encoderMask.getShape().get(0), 1, 1, -1)
                    .neg().add(1f).mul(CROSS_MASK);
        }
        for (int i = 0; i < layers.size(); i++) {
            NDArray in = x;
            int index = i;
            boolean firstRowOnly = clsOnly && i == layers.size() - 1;
            NDArray sm = firstRowOnly && selfMask.getShape().get(2) > 1 ? selfMask.get(":, :, :1, :") : selfMask;
            NDArray cm = crossMask;
            x = Scoped.run(() -> {
                NDArray out = layers.get(index).forward(in, sm, mode.crossAttention ? encoderStates : null,
                        mode.crossAttention ? cross : null, cm, cache, index, training, firstRowOnly);
                if (cache != null) {
                    cache.retainLayer(index); // cached keys/values outlive the layer's scope
                }
                return out;
            });
        }
        if (cache != null) {
            cache.advance((int) len);
        }
        return x;
    }

    /** Projected keys/values must serve exactly the text rows given (one row-map entry per text). */
    private static void requireRowsServed(CrossKeyValues cross, NDArray ids) {
        if (cross != null && cross.textRows() != ids.getShape().get(0)) {
            throw new IllegalArgumentException("cross-attention keys/values serve " + cross.textRows()
                    + " text rows, got " + ids.getShape().get(0));
        }
    }

    /**
     * The value names of one exported text pass (inference): {@code crossKv} holds every layer's cross-attention
     * (keys, values) of shape (E, Le, H), null for the unimodal mode; text rows come in groups of
     * R / E consecutive rows per encoder row, and cross-attention runs on the queries reshaped to
     * {@code groupedShape} = [E, group·L, H] (then back to {@code rowsShape} = [R, L, H]), which is the same
     * attention without copying keys/values per row. {@code past}: per layer (keys, values) (R, P, H) or null;
     * {@code present} then receives the extended ones. {@code absorbedStates}: instead of {@code crossKv}, the
     * encoder states (E, Le, W) for {@link Layer#absorbedCrossAttention}.
     */
    public record OnnxPass(String ids, String positions, String selfBias, List<String[]> crossKv, String crossBias,
            String groupedShape, String rowsShape, List<String[]> past, List<String[]> present, String absorbedStates) {
    }

    /** The same forward as an ONNX graph: last hidden states (R, L, H). */
    public String toOnnx(OnnxGraph g, OnnxPass pass) {
        String x = embeddings.toOnnx(g, pass.ids(), pass.positions());
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).toOnnx(g, x, pass, i);
        }
        return x;
    }

    /**
     * As {@link #toOnnx} but only the first ([CLS]) position's last hidden state, (R, H): what ITM and ITC read. The
     * last layer computes that one query row (its keys and values still come from every position), so the other
     * L − 1 rows skip its self-attention queries, cross-attention and feed-forward. Exact, not an approximation.
     */
    public String clsToOnnx(OnnxGraph g, OnnxPass pass) {
        String x = embeddings.toOnnx(g, pass.ids(), pass.positions());
        int last = layers.size() - 1;
        for (int i = 0; i < last; i++) {
            x = layers.get(i).toOnnx(g, x, pass, i);
        }
        String cls = layers.get(last).firstRowToOnnx(g, x, pass, last);
        return g.op("Reshape", cls, g.longs("cls_shape", 0, cfg.hiddenSize()));
    }

    /**
     * Every layer's cross-attention (keys, values) of encoder states (E, Le, W) → (E, heads, Le, d) each: already in
     * the per-head layout ONNX Runtime's attention works in, so a decoder reading them at every step does not
     * transpose them again (that transpose was half of a captioning step's time).
     */
    public List<String[]> crossKeyValuesToOnnx(OnnxGraph g, String encoderStates) {
        int heads = cfg.numAttentionHeads();
        String perHead = g.longs("kv_heads", 0, 0, heads, cfg.hiddenSize() / heads);
        OnnxGraph.Attr[] headsFirst = {OnnxGraph.Attr.ints("perm", 0, 2, 1, 3)};
        Function<Linear, String> projected = proj ->
                g.op("Transpose", headsFirst, g.op("Reshape", proj.toOnnx(g, encoderStates), perHead));
        List<String[]> kv = new ArrayList<>();
        for (Layer layer : layers) {
            kv.add(new String[] {projected.apply(layer.crossKey), projected.apply(layer.crossValue)});
        }
        return kv;
    }

    /** Extended additive mask: (B,1,1,Lk) bidirectional or (B,1,L,past+L) causal, (1−m)·−10000. */
    private static NDArray selfAttentionMask(NDManager m, NDArray mask, long b, long len, int past, boolean causal) {
        long total = past + len;
        NDArray pad = mask == null ? m.ones(new Shape(b, total)) : mask.toType(DataType.FLOAT32, false);
        if (pad.getShape().get(1) != total) {
            throw new IllegalArgumentException("attention mask has " + pad.getShape().get(1) + " positions, expected "
                    + total);
        }
        NDArray ext = pad.reshape(b, 1, 1, total);
        if (causal) {
            // query i (absolute position past+i) may see keys j ≤ past+i
            NDArray q = m.arange(past, (int) total).toType(DataType.FLOAT32, false).reshape(len, 1);
            NDArray k = m.arange(0, (int) total).toType(DataType.FLOAT32, false).reshape(1, total);
            NDArray causalMask = k.lte(q).toType(DataType.FLOAT32, false).reshape(1, 1, len, total);
            ext = ext.mul(causalMask);
        }
        return ext.neg().add(1f).mul(SELF_MASK);
    }

    /** One post-LN layer (orig {@code models/med.py} {@code BertLayer}): self-attention, optional cross-attention, FFN. */
    static final class Layer {
        private final SelfAttentionBlock selfAttention;
        private final Linear crossQuery;
        private final Linear crossKey;
        private final Linear crossValue;
        private final Linear crossOut;
        private final LayerNorm crossNorm;
        private final FeedForwardBlock feedForward;
        private final int heads;
        private final double hiddenDropout;
        private final double attnDropout;

        Layer(ParameterSet ps, String p, TextConfig cfg, int crossWidth) {
            int h = cfg.hiddenSize();
            selfAttention = new SelfAttentionBlock(ps, p, cfg);
            crossQuery = new Linear(ps, p + ".crossattention.self.query", h, h, true);
            crossKey = new Linear(ps, p + ".crossattention.self.key", crossWidth, h, true);
            crossValue = new Linear(ps, p + ".crossattention.self.value", crossWidth, h, true);
            crossOut = new Linear(ps, p + ".crossattention.output.dense", h, h, true);
            crossNorm = new LayerNorm(ps, p + ".crossattention.output.LayerNorm", h, cfg.layerNormEps());
            feedForward = new FeedForwardBlock(ps, p, cfg);
            heads = cfg.numAttentionHeads();
            hiddenDropout = cfg.hiddenDropoutProb();
            attnDropout = cfg.attentionProbsDropoutProb();
        }

        /** Own self-attention; everything else is {@code s}'s (aliased under {@code p}). */
        Layer(ParameterSet ps, String p, TextConfig cfg, Layer s) {
            selfAttention = new SelfAttentionBlock(ps, p, cfg);
            crossQuery = s.crossQuery.sharedAs(ps, p + ".crossattention.self.query");
            crossKey = s.crossKey.sharedAs(ps, p + ".crossattention.self.key");
            crossValue = s.crossValue.sharedAs(ps, p + ".crossattention.self.value");
            crossOut = s.crossOut.sharedAs(ps, p + ".crossattention.output.dense");
            crossNorm = s.crossNorm.sharedAs(ps, p + ".crossattention.output.LayerNorm");
            feedForward = s.feedForward.sharedAs(ps, p);
            heads = s.heads;
            hiddenDropout = s.hiddenDropout;
            attnDropout = s.attnDropout;
        }

        String toOnnx(OnnxGraph g, String x, OnnxPass pass, int index) {
            String[] past = pass.past() == null ? null : pass.past().get(index);
            String[] present = new String[2];
            x = selfAttention.toOnnx(g, x, pass.selfBias(), past, present);
            if (past != null) {
                pass.present().add(present);
            }
            return crossAndFeedForwardToOnnx(g, x, pass, index);
        }

        /** This layer for the first position's query only: (R, L, H) → (R, 1, H) (no cache). */
        String firstRowToOnnx(OnnxGraph g, String x, OnnxPass pass, int index) {
            String zero = g.longs("first", 0);
            String one = g.longs("first_end", 1);
            String first = g.op("Slice", x, zero, one, g.longs("seq_axis", 1));
            String bias = pass.selfBias() == null ? null
                    : g.op("Slice", pass.selfBias(), zero, one, g.longs("query_axis", 2));
            x = selfAttention.toOnnx(g, first, x, bias, null, null);
            String crossRows = null;
            String grouped = null;
            if (pass.absorbedStates() != null || pass.crossKv() != null) {
                // one query row per text: E encoder rows, each shared by R / E consecutive texts
                String encoder = pass.absorbedStates() != null ? pass.absorbedStates() : pass.crossKv().get(index)[0];
                long h = crossQuery.weight().shape().get(0);
                grouped = g.op("Concat", new OnnxGraph.Attr[] {OnnxGraph.Attr.i("axis", 0)},
                        g.op("Slice", g.op("Shape", encoder), zero, one), g.longs("grouped_tail", -1, h));
                crossRows = g.longs("rows_shape", -1, 1, h);
            }
            OnnxPass rows = new OnnxPass(pass.ids(), pass.positions(), bias, pass.crossKv(), pass.crossBias(),
                    grouped, crossRows, null, null, pass.absorbedStates());
            return crossAndFeedForwardToOnnx(g, x, rows, index);
        }

        private String crossAndFeedForwardToOnnx(OnnxGraph g, String x, OnnxPass pass, int index) {
            if (pass.absorbedStates() != null) {
                String ctx = absorbedCrossAttention(g, crossQuery.toOnnx(g, x), pass);
                x = crossNorm.toOnnx(g, g.op("Add", x, crossOut.toOnnx(g, ctx)));
            } else if (pass.crossKv() != null) {
                String[] kv = pass.crossKv().get(index);
                String q = g.op("Reshape", crossQuery.toOnnx(g, x), pass.groupedShape());
                String ctx = OnnxOps.attention(g, q, kv[0], kv[1], pass.crossBias(), heads);
                ctx = g.op("Reshape", ctx, pass.rowsShape());
                x = crossNorm.toOnnx(g, g.op("Add", x, crossOut.toOnnx(g, ctx)));
            }
            return feedForward.toOnnx(g, x);
        }

        /**
         * Cross-attention without projecting the encoder states: q·(X·Wkᵀ + bk)ᵀ = (q·Wk)·Xᵀ + q·bk, and the last
         * term is the same for every key, so softmax drops it; p·(X·Wvᵀ + bv) = (p·X)·Wvᵀ + bv as p sums to 1.
         * Per head this costs group·L·(W·d + Le·W) multiply-adds against Le·W·d for the projection, so it is the
         * cheaper way when heads · group·L (query rows) is below the width, as in ITM of distinct pairs (12 · 35 <
         * 768). Same numbers up to float rounding.
         */
        String absorbedCrossAttention(OnnxGraph g, String q, OnnxPass pass) {
            long h = crossQuery.weight().shape().get(0);
            long w = crossKey.weight().shape().get(1);
            long d = h / heads;
            OnnxGraph.Attr[] toHeads = {OnnxGraph.Attr.ints("perm", 0, 2, 1, 3)};
            String grouped = g.op("Reshape", q, pass.groupedShape());
            String qh = g.op("Transpose", toHeads, g.op("Reshape", grouped, g.longs("heads", 0, 0, heads, d)));
            // per-head key weights (H, d, W), pre-scaled by 1/√d; value weights (H, W, d)
            float[] wk = crossKey.weight().array().toFloatArray();
            float scale = (float) (1.0 / Math.sqrt(d));
            for (int i = 0; i < wk.length; i++) {
                wk[i] *= scale;
            }
            String wkHeads = g.floats("wk_heads", wk, heads, d, w);
            String wvHeads = g.floats("wv_heads", crossValue.weight().array().reshape(heads, d, w).transpose(0, 2, 1)
                    .toFloatArray(), heads, w, d);
            // all heads' query rows of one image form one matrix against its tokens (E, H·gL, ·): one larger GEMM
            // per image instead of one per head; the transposed tokens are shared by every layer
            String states = pass.absorbedStates();
            String statesT = g.memo("absorbed_states_t", () -> g.op("Transpose",
                    new OnnxGraph.Attr[] {OnnxGraph.Attr.ints("perm", 0, 2, 1)}, states));
            String rows = g.op("Reshape", g.op("MatMul", qh, wkHeads), g.longs("rows", 0, -1, w));
            String probs = g.op("Softmax", new OnnxGraph.Attr[] {OnnxGraph.Attr.i("axis", -1)},
                    g.op("MatMul", rows, statesT));
            String mixed = g.op("Reshape", g.op("MatMul", probs, states), g.longs("per_head", 0, heads, -1, w));
            String ctx = g.op("Add", g.op("MatMul", mixed, wvHeads),
                    g.floats("bv_heads", crossValue.bias().array().toFloatArray(), heads, 1, d));
            ctx = g.op("Transpose", toHeads, ctx);
            return g.op("Reshape", ctx, pass.rowsShape());
        }

        /**
         * {@code cross}, when given, replaces {@code encoderStates}: keys/values projected beforehand.
         * {@code firstRowOnly}: only the first position's output (B, 1, H), its self-attention still over every
         * position ({@code selfMask} then holds that one query row).
         */
        NDArray forward(NDArray x, NDArray selfMask, NDArray encoderStates, CrossKeyValues cross, NDArray crossMask,
                DecoderCache cache, int index, boolean training, boolean firstRowOnly) {
            NDArray queries = firstRowOnly ? x.get(":, :1, :") : x;
            x = selfAttention.forward(queries, x, selfMask, cache, index, training);

            if (encoderStates != null || cross != null) {
                NDArray cq = Ops.splitHeads(crossQuery.forward(x), heads);
                NDArray cctx = cross != null
                        ? cross.attend(index, crossKey, crossValue, cq, crossMask, attnDropout, training)
                        : attendTo(encoderStates, cq, crossMask, cache, index, training);
                x = crossNorm.forward(x.add(Ops.dropout(crossOut.forward(Ops.mergeHeads(cctx)), hiddenDropout,
                        training)));
            }
            return feedForward.forward(x, training);
        }

        /** Cross-attention context of queries {@code cq} over {@code encoderStates}, with the decoder cache. */
        private NDArray attendTo(NDArray encoderStates, NDArray cq, NDArray crossMask, DecoderCache cache, int index,
                boolean training) {
            NDArray ck = cache == null ? null : cache.crossK(index);
            NDArray cv = cache == null ? null : cache.crossV(index);
            if (ck == null) {
                ck = Ops.splitHeads(crossKey.forward(encoderStates), heads);
                cv = Ops.splitHeads(crossValue.forward(encoderStates), heads);
                if (cache != null) {
                    cache.putCross(index, ck, cv);
                }
            }
            // encoder rows may be shared by groups of consecutive text rows (beams of an image, or many
            // texts scored against one image): keys/values are then projected once per encoder row
            long rows = cq.getShape().get(0);
            long encRows = ck.getShape().get(0);
            if (rows % encRows != 0) {
                throw new IllegalArgumentException(rows + " text rows cannot share " + encRows + " encoder rows");
            }
            int group = (int) (rows / encRows);
            return Ops.groupedAttention(cq, ck, cv, crossMask, group, attnDropout, training);
        }
    }
}
