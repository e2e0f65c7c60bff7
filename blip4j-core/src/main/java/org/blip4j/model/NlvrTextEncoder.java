package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.nn.LayerNorm;
import org.blip4j.nn.Linear;
import org.blip4j.nn.Ops;
import org.blip4j.nn.ParameterSet;
import org.blip4j.nn.Scoped;

/**
 * The NLVR2 text encoder (orig {@code models/nlvr_encoder.py}, the MED BERT changed for two images). Every layer
 * has self-attention, a twin cross-attention and the FFN: {@code crossattention.self0} attends to image 0's ViT
 * tokens and {@code self1} to image 1's, each context has its own output projection ({@code dense0} /
 * {@code dense1}), and the two results are averaged (layers below {@link NlvrConfig#mergeLayerStart()}) or merged
 * by {@code merge_layer} (Linear 2H→H, no activation) before the shared LayerNorm with the residual.
 */
public final class NlvrTextEncoder {
    private final TextEmbeddings embeddings;
    private final List<Layer> layers = new ArrayList<>();

    /** Hidden states of every layer, for parity checks. */
    public record States(List<NDArray> hidden, List<NDArray> crossAttention) {
        public NDArray last() {
            return hidden.get(hidden.size() - 1);
        }
    }

    public NlvrTextEncoder(ParameterSet ps, String prefix, NlvrConfig cfg) {
        TextConfig t = cfg.text();
        embeddings = new TextEmbeddings(ps, prefix, t);
        for (int i = 0; i < t.numHiddenLayers(); i++) {
            layers.add(new Layer(ps, prefix + ".encoder.layer." + i, t, cfg.vision().hiddenSize(), cfg.merges(i)));
        }
    }

    /**
     * @param ids (B, L), first token [ENC]
     * @param mask (B, L), 1 = token
     * @param image0 (B, N, Dv) ViT states of each example's first image; image1 the second's
     * @return last hidden states (B, L, H)
     */
    public NDArray forward(NDArray ids, NDArray mask, NDArray image0, NDArray image1, boolean training) {
        NDArray x = embeddings.forward(ids, 0, training);
        NDArray selfMask = selfMask(ids.getManager(), mask);
        for (Layer layer : layers) {
            NDArray in = x;
            x = Scoped.run(() -> layer.forward(in, selfMask, image0, image1, training));
        }
        return x;
    }

    /** As {@link #forward} but keeping every layer's output and every cross-attention block's output. */
    public States forwardWithStates(NDArray ids, NDArray mask, NDArray image0, NDArray image1) {
        List<NDArray> hidden = new ArrayList<>();
        List<NDArray> cross = new ArrayList<>();
        NDArray x = embeddings.forward(ids, 0, false);
        hidden.add(x);
        NDArray selfMask = selfMask(ids.getManager(), mask);
        for (Layer layer : layers) {
            NDArray a = layer.selfAttention.forward(x, selfMask, null, 0, false);
            NDArray b = layer.crossAttention.forward(a, image0, image1, false);
            cross.add(b);
            x = layer.feedForward.forward(b, false);
            hidden.add(x);
        }
        return new States(hidden, cross);
    }

    /** Bidirectional padding mask (B,1,1,L): (1 − m)·−10000, as med.py's get_extended_attention_mask. */
    private static NDArray selfMask(NDManager m, NDArray mask) {
        long b = mask.getShape().get(0);
        long len = mask.getShape().get(1);
        return mask.toType(DataType.FLOAT32, false).reshape(b, 1, 1, len).neg().add(1f).mul(TextTransformer.SELF_MASK);
    }

    private static final class Layer {
        private final SelfAttentionBlock selfAttention;
        private final TwinCrossAttention crossAttention;
        private final FeedForwardBlock feedForward;

        Layer(ParameterSet ps, String p, TextConfig cfg, int imageWidth, boolean merge) {
            selfAttention = new SelfAttentionBlock(ps, p, cfg);
            crossAttention = new TwinCrossAttention(ps, p + ".crossattention", cfg, imageWidth, merge);
            feedForward = new FeedForwardBlock(ps, p, cfg);
        }

        NDArray forward(NDArray x, NDArray selfMask, NDArray image0, NDArray image1, boolean training) {
            NDArray a = selfAttention.forward(x, selfMask, null, 0, training);
            return feedForward.forward(crossAttention.forward(a, image0, image1, training), training);
        }
    }

    /**
     * nlvr_encoder.py {@code BertAttention} with {@code twin=True}: {@code self0}/{@code self1} and
     * {@code output.dense0}/{@code dense1}, {@code output.merge_layer} where the layer merges, one
     * {@code output.LayerNorm}. The image masks are all ones, so no additive mask.
     */
    private static final class TwinCrossAttention {
        private final Linear[] query = new Linear[2];
        private final Linear[] key = new Linear[2];
        private final Linear[] value = new Linear[2];
        private final Linear[] dense = new Linear[2];
        private final Linear merge;
        private final LayerNorm norm;
        private final int heads;
        private final double hiddenDropout;
        private final double attnDropout;

        TwinCrossAttention(ParameterSet ps, String p, TextConfig cfg, int imageWidth, boolean merges) {
            int h = cfg.hiddenSize();
            for (int i = 0; i < 2; i++) {
                query[i] = new Linear(ps, p + ".self" + i + ".query", h, h, true);
                key[i] = new Linear(ps, p + ".self" + i + ".key", imageWidth, h, true);
                value[i] = new Linear(ps, p + ".self" + i + ".value", imageWidth, h, true);
            }
            for (int i = 0; i < 2; i++) {
                dense[i] = new Linear(ps, p + ".output.dense" + i, h, h, true);
            }
            norm = new LayerNorm(ps, p + ".output.LayerNorm", h, cfg.layerNormEps());
            merge = merges ? new Linear(ps, p + ".output.merge_layer", 2 * h, h, true) : null;
            heads = cfg.numAttentionHeads();
            hiddenDropout = cfg.hiddenDropoutProb();
            attnDropout = cfg.attentionProbsDropoutProb();
        }

        NDArray forward(NDArray a, NDArray image0, NDArray image1, boolean training) {
            NDArray[] images = {image0, image1};
            NDArray[] out = new NDArray[2];
            for (int i = 0; i < 2; i++) {
                NDArray q = Ops.splitHeads(query[i].forward(a), heads);
                NDArray k = Ops.splitHeads(key[i].forward(images[i]), heads);
                NDArray v = Ops.splitHeads(value[i].forward(images[i]), heads);
                out[i] = dense[i].forward(Ops.mergeHeads(Ops.attention(q, k, v, null, attnDropout, training)));
            }
            NDArray h = merge == null
                    ? Ops.mul(out[0].add(out[1]), 0.5)
                    : merge.forward(NDArrays.concat(new NDList(out[0], out[1]), -1));
            return norm.forward(Ops.dropout(h, hiddenDropout, training).add(a));
        }
    }
}
