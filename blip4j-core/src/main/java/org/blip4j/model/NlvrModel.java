package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import java.util.Map;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.nn.Linear;
import org.blip4j.nn.ParameterSet;

/**
 * BLIP for NLVR2 (orig {@code models/blip_nlvr.py} {@code BLIP_NLVR}): does a sentence hold for a pair of images?
 * The ViT encodes both images, the twin-cross-attention text encoder reads the sentence (first token [ENC]) against
 * both, and {@code cls_head} (Linear → ReLU → Linear) turns the first token's state into logits
 * {@code [False, True]}. Parameter names are the checkpoint keys ({@code vision_model.*} as HF names the ViT,
 * {@code text_encoder.*} and {@code cls_head.*} as the original).
 */
public final class NlvrModel implements AutoCloseable {
    public static final String VISION = "vision_model";
    public static final String TEXT_ENCODER = "text_encoder";
    public static final String CLS_HEAD_HIDDEN = "cls_head.0";
    public static final String CLS_HEAD_OUT = "cls_head.2";

    private final NlvrConfig config;
    private final ParameterSet params = new ParameterSet();
    private final NDManager manager;
    private final VisionTransformer vision;
    private final NlvrTextEncoder textEncoder;
    private final Linear clsHidden;
    private final Linear clsOut;

    /** Declares the parameters (without values). */
    public NlvrModel(NlvrConfig config, NDManager manager) {
        this.config = config;
        this.manager = manager;
        vision = new VisionTransformer(params, VISION, config.vision());
        textEncoder = new NlvrTextEncoder(params, TEXT_ENCODER, config);
        clsHidden = new Linear(params, CLS_HEAD_HIDDEN, config.text().hiddenSize(), config.classifierHidden(), true);
        clsOut = new Linear(params, CLS_HEAD_OUT, config.classifierHidden(), NlvrConfig.NUM_LABELS, true);
    }

    /** Strict load: every parameter present with its shape, no unknown key (see {@link BlipModelLoader#assign}). */
    public static NlvrModel load(NlvrConfig config, Map<String, RawTensor> tensors, NDManager manager,
            String source) {
        NlvrModel model = new NlvrModel(config, manager);
        try {
            BlipModelLoader.assign(model.params, BlipModelLoader.adaptPositionEmbedding(config.blip(), tensors), manager,
                    source);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    public NlvrConfig config() {
        return config;
    }

    public ParameterSet parameters() {
        return params;
    }

    public NDManager manager() {
        return manager;
    }

    public VisionTransformer vision() {
        return vision;
    }

    public NlvrTextEncoder textEncoder() {
        return textEncoder;
    }

    /** pixels (B, 3, S, S) → ViT states (B, 1+N, Dv). */
    public NDArray imageEmbeds(NDArray pixels, boolean training) {
        return vision.forward(pixels, training);
    }

    /**
     * Logits (B, 2) as {@code BLIP_NLVR.forward}: one ViT pass over {@code cat([pixels0, pixels1])} (all first
     * images, then all second images), split in two halves.
     */
    public NDArray logits(NDArray ids, NDArray mask, NDArray pixels0, NDArray pixels1, boolean training) {
        long b = pixels0.getShape().get(0);
        NDArray embeds = imageEmbeds(NDArrays.concat(new NDList(pixels0, pixels1), 0), training);
        return logitsFromEmbeds(ids, mask, embeds.get(new NDIndex("0:{}", b)), embeds.get(new NDIndex("{}:", b)),
                training);
    }

    /** Logits (B, 2) from both images' ViT states. */
    public NDArray logitsFromEmbeds(NDArray ids, NDArray mask, NDArray image0, NDArray image1, boolean training) {
        return classify(textEncoder.forward(ids, mask, image0, image1, training).get(":, 0, :"));
    }

    /** {@code cls_head} on the first token's state (B, H) → (B, 2). */
    public NDArray classify(NDArray firstToken) {
        return clsOut.forward(Activation.relu(clsHidden.forward(firstToken)));
    }

    @Override
    public void close() {
        params.close();
    }
}
