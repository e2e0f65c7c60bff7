package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.blip4j.nn.DropPath;
import org.blip4j.nn.Init;
import org.blip4j.nn.LayerNorm;
import org.blip4j.nn.Linear;
import org.blip4j.nn.Ops;
import org.blip4j.nn.Parameter;
import org.blip4j.nn.ParameterSet;
import org.blip4j.nn.RecomputeTape;
import org.blip4j.nn.Scoped;
import org.blip4j.onnx.OnnxGraph;
import org.blip4j.onnx.OnnxGraph.Attr;
import org.blip4j.onnx.OnnxOps;

/**
 * The BLIP image encoder: timm-0.4.12 style pre-norm ViT (orig {@code models/vit.py} {@code VisionTransformer}) with HF
 * parameter names under {@code <prefix>} (normally {@code vision_model}). Output is the full normalised token sequence
 * (B, 1+N, D).
 */
public final class VisionTransformer {
    private final VisionConfig cfg;
    private final Parameter classEmbedding;
    private final Parameter positionEmbedding;
    private final Parameter patchWeight;
    private final Parameter patchBias;
    private final List<Block> blocks = new ArrayList<>();
    private final LayerNorm postLayerNorm;
    private int checkpointedBlocks;

    public VisionTransformer(ParameterSet ps, String prefix, VisionConfig cfg) {
        this.cfg = cfg;
        int d = cfg.hiddenSize();
        String emb = prefix + ".embeddings.";
        classEmbedding = ps.register(emb + "class_embedding", new Shape(1, 1, d), Init.NORMAL);
        positionEmbedding = ps.register(emb + "position_embedding", new Shape(1, cfg.seqLength(), d), Init.NORMAL);
        patchWeight = ps.register(emb + "patch_embedding.weight",
                new Shape(d, cfg.numChannels(), cfg.patchSize(), cfg.patchSize()), Init.NORMAL);
        patchBias = ps.register(emb + "patch_embedding.bias", new Shape(d), Init.ZEROS);
        for (int i = 0; i < cfg.numHiddenLayers(); i++) {
            double dropPath = cfg.numHiddenLayers() == 1 ? 0 : cfg.dropPathRate() * i / (cfg.numHiddenLayers() - 1);
            blocks.add(new Block(ps, prefix + ".encoder.layers." + i, cfg, dropPath));
        }
        postLayerNorm = new LayerNorm(ps, prefix + ".post_layernorm", d, cfg.layerNormEps());
    }

    public VisionConfig config() {
        return cfg;
    }

    /**
     * Gradient checkpointing of the last {@code layers} blocks, as the original's {@code vit_grad_ckpt} /
     * {@code vit_ckpt_layer} (block i is checkpointed when i >= depth - layers; 0 = off): while a
     * {@link RecomputeTape} is open their activations are not kept but recomputed in backward. Same gradients,
     * less memory, one more forward of those blocks.
     */
    public void checkpointLastBlocks(int layers) {
        if (layers < 0) {
            throw new IllegalArgumentException("vit_ckpt_layer must be >= 0, got " + layers);
        }
        if (layers > 0 && cfg.attentionDropout() > 0) {
            throw new IllegalArgumentException("gradient checkpointing needs attention dropout 0 (the original ViT's)");
        }
        checkpointedBlocks = Math.min(layers, blocks.size());
    }

    public int checkpointedBlocks() {
        return checkpointedBlocks;
    }

    /** pixels (B, C, S, S) normalised → image embeddings (B, 1+N, D). */
    public NDArray forward(NDArray pixels, boolean training) {
        return forward(pixels, training, false);
    }

    /**
     * The [CLS] embedding alone (B, D), which is all that ITC reads (the momentum encoder in pre-training and
     * retrieval fine-tuning). The last block computes that one query row against keys and values of every
     * position, so the other N rows skip its attention output, projection and MLP. Exact.
     */
    public NDArray forwardCls(NDArray pixels, boolean training) {
        if (checkpointedBlocks > 0) {
            return forward(pixels, training).get(":, 0, :"); // the tape replays whole blocks
        }
        NDArray first = forward(pixels, training, true);
        return first.reshape(first.getShape().get(0), cfg.hiddenSize());
    }

    private NDArray forward(NDArray pixels, boolean training, boolean clsOnly) {
        Shape s = pixels.getShape();
        if (s.dimension() != 4 || s.get(1) != cfg.numChannels() || s.get(2) != cfg.imageSize()
                || s.get(3) != cfg.imageSize()) {
            throw new IllegalArgumentException("vision encoder expects pixels of shape (B, " + cfg.numChannels() + ", "
                    + cfg.imageSize() + ", " + cfg.imageSize() + "), got " + s);
        }
        long b = s.get(0);
        int d = cfg.hiddenSize();
        NDArray patches = Conv2d.conv2d(pixels, patchWeight.array(), patchBias.array(),
                new Shape(cfg.patchSize(), cfg.patchSize())).singletonOrThrow();
        patches = patches.reshape(b, d, cfg.numPatches()).transpose(0, 2, 1);
        NDArray cls = classEmbedding.array().broadcast(new Shape(b, 1, d));
        NDArray x = NDArrays.concat(new ai.djl.ndarray.NDList(cls, patches), 1).add(positionEmbedding.array());
        int first = blocks.size() - checkpointedBlocks;
        RecomputeTape tape = checkpointedBlocks > 0 ? RecomputeTape.active() : null;
        for (int i = 0; i < (tape == null ? blocks.size() : first); i++) {
            NDArray in = x;
            Block block = blocks.get(i);
            boolean firstRowOnly = clsOnly && i == blocks.size() - 1;
            x = Scoped.run(() -> block.forward(in, training, null, firstRowOnly));
        }
        if (tape != null) {
            List<BiFunction<NDArray, RecomputeTape.Replay, NDArray>> steps = new ArrayList<>();
            for (Block block : blocks.subList(first, blocks.size())) {
                steps.add((in, replay) -> block.forward(in, training, replay, false));
            }
            x = tape.run(x, steps);
        }
        return postLayerNorm.forward(x);
    }

    /** The same forward (inference) as an ONNX graph: pixels (B, C, S, S) → embeddings (B, 1+N, D). */
    public String toOnnx(OnnxGraph g, String pixels) {
        int d = cfg.hiddenSize();
        int p = cfg.patchSize();
        String patches = g.op("Conv", new Attr[] {Attr.ints("kernel_shape", p, p), Attr.ints("strides", p, p)},
                pixels, g.weight(patchWeight), g.weight(patchBias));
        patches = g.op("Transpose", new Attr[] {Attr.ints("perm", 0, 2, 1)},
                g.op("Reshape", patches, g.longs("shape", 0, d, -1)));
        String cls = OnnxOps.expandBatch(g, g.weight(classEmbedding), pixels, 1, d);
        String x = g.op("Add", g.op("Concat", new Attr[] {Attr.i("axis", 1)}, cls, patches),
                g.weight(positionEmbedding));
        for (Block block : blocks) {
            x = block.toOnnx(g, x);
        }
        return postLayerNorm.toOnnx(g, x);
    }

    /** One pre-norm block: x + Attn(LN1 x); x + MLP(LN2 x). */
    static final class Block {
        private final LayerNorm norm1;
        private final Linear qkv;
        private final Linear projection;
        private final LayerNorm norm2;
        private final Linear fc1;
        private final Linear fc2;
        private final int heads;
        private final double attnDropout;
        private final double dropPath;

        Block(ParameterSet ps, String p, VisionConfig cfg, double dropPath) {
            int d = cfg.hiddenSize();
            norm1 = new LayerNorm(ps, p + ".layer_norm1", d, cfg.layerNormEps());
            qkv = new Linear(ps, p + ".self_attn.qkv", d, 3 * d, true);
            projection = new Linear(ps, p + ".self_attn.projection", d, d, true);
            norm2 = new LayerNorm(ps, p + ".layer_norm2", d, cfg.layerNormEps());
            fc1 = new Linear(ps, p + ".mlp.fc1", d, cfg.intermediateSize(), true);
            fc2 = new Linear(ps, p + ".mlp.fc2", cfg.intermediateSize(), d, true);
            heads = cfg.numAttentionHeads();
            attnDropout = cfg.attentionDropout();
            this.dropPath = dropPath;
        }

        String toOnnx(OnnxGraph g, String x) {
            String qkvOut = qkv.toOnnx(g, norm1.toOnnx(g, x));
            java.util.List<String> parts = g.opN("Split", null, 3, new Attr[] {Attr.i("axis", -1)}, qkvOut);
            String ctx = OnnxOps.attention(g, parts.get(0), parts.get(1), parts.get(2), null, heads);
            x = g.op("Add", x, projection.toOnnx(g, ctx));
            String h = fc2.toOnnx(g, OnnxOps.gelu(g, fc1.toOnnx(g, norm2.toOnnx(g, x))));
            return g.op("Add", x, h);
        }

        /**
         * {@code replay}: where drop-path masks are kept for a recomputation (null: plain forward).
         * {@code firstRowOnly}: only the first ([CLS]) position's output (B, 1, D), attending to every position.
         */
        NDArray forward(NDArray x, boolean training, RecomputeTape.Replay replay, boolean firstRowOnly) {
            // fused qkv rows are [q; k; v], each head-major. Split along the features (the original reshapes to
            // (3, B, H, N, d/H) and indexes): the same values, and backward concatenates the three gradients
            // instead of summing three zero-filled copies of the whole (3, B, H, N, d/H) tensor.
            NDList qkvOut = qkv.forward(norm1.forward(x)).split(3, 2);
            NDArray q = Ops.splitHeads(qkvOut.get(0), heads);
            if (firstRowOnly) {
                q = q.get(":, :, :1, :");
                x = x.get(":, :1, :");
            }
            NDArray ctx = Ops.attention(q, Ops.splitHeads(qkvOut.get(1), heads), Ops.splitHeads(qkvOut.get(2), heads),
                    null, attnDropout, training);
            x = x.add(dropPath(projection.forward(Ops.mergeHeads(ctx)), training, replay));
            NDArray h = fc2.forward(Ops.gelu(fc1.forward(norm2.forward(x))));
            return x.add(dropPath(h, training, replay));
        }

        private NDArray dropPath(NDArray x, boolean training, RecomputeTape.Replay replay) {
            if (replay == null || !training || dropPath <= 0) {
                return DropPath.apply(x, dropPath, training);
            }
            return x.mul(replay.random(() -> DropPath.mask(x, dropPath)));
        }
    }
}
