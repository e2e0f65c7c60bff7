package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.blip4j.nn.Init;
import org.blip4j.nn.Linear;
import org.blip4j.nn.Ops;
import org.blip4j.nn.Parameter;
import org.blip4j.nn.ParameterSet;

/**
 * The BLIP MED model: ViT + text encoder + text decoder + ITC projections + ITM head, each part optional so that
 * task checkpoints (captioning, retrieval, VQA) load into the same class. Parameter names are HF checkpoint keys.
 *
 * <p>Methods here are the raw tensor forward passes; they create arrays on the input's manager, so callers wrap
 * them in an {@link ai.djl.ndarray.NDScope} or a sub-manager (the task-level API in {@code org.blip4j.task} does).
 */
public final class BlipModel implements AutoCloseable {
    private final BlipConfig config;
    private final Set<Part> parts;
    private final ParameterSet params = new ParameterSet();
    private final NDManager manager;
    private final VisionTransformer vision;
    private final TextTransformer textEncoder;
    private final TextTransformer textDecoder;
    private final LmHead lmHead;
    private final Linear visionProj;
    private final Linear textProj;
    private final Linear itmHead;
    private final Parameter temp;
    private final int decoderCrossWidth;
    private FrozenInference frozen;

    /**
     * Declares the parameters of the given parts (without values). {@code decoderCrossWidth} is the text decoder's
     * cross-attention input width: the vision width for captioning, the text width for the VQA answer decoder.
     */
    public BlipModel(BlipConfig config, Set<Part> parts, int decoderCrossWidth, NDManager manager) {
        this(config, parts, decoderCrossWidth, manager, false);
    }

    /**
     * @param shareTextWeights pre-training layout (orig {@code models/blip_pretrain.py}
     *     {@code tie_encoder_decoder_weights}; docs/MODEL.md): the decoder shares every text parameter with the encoder
     *     except its self-attention blocks; shared tensors are named under both prefixes
     */
    public BlipModel(BlipConfig config, Set<Part> parts, int decoderCrossWidth, NDManager manager,
            boolean shareTextWeights) {
        if (!parts.contains(Part.VISION)) {
            throw new IllegalArgumentException("a BLIP model needs the image encoder (vision_model.*)");
        }
        this.config = config;
        this.parts = Collections.unmodifiableSet(EnumSet.copyOf(parts));
        this.manager = manager;
        this.decoderCrossWidth = decoderCrossWidth;
        TextConfig t = config.text();
        int e = config.imageTextHiddenSize();
        vision = new VisionTransformer(params, "vision_model", config.vision());
        textEncoder = parts.contains(Part.TEXT_ENCODER)
                ? new TextTransformer(params, "text_encoder", t, t.encoderHiddenSize()) : null;
        if (parts.contains(Part.TEXT_DECODER)) {
            textDecoder = shareTextWeights && textEncoder != null
                    ? new TextTransformer(params, "text_decoder.bert", textEncoder)
                    : new TextTransformer(params, "text_decoder.bert", t, decoderCrossWidth);
            lmHead = new LmHead(params, "text_decoder.cls.predictions", t, textDecoder.wordEmbeddings());
        } else {
            textDecoder = null;
            lmHead = null;
        }
        visionProj = parts.contains(Part.VISION_PROJ)
                ? new Linear(params, "vision_proj", config.vision().hiddenSize(), e, true) : null;
        textProj = parts.contains(Part.TEXT_PROJ) ? new Linear(params, "text_proj", t.hiddenSize(), e, true) : null;
        itmHead = parts.contains(Part.ITM_HEAD) ? new Linear(params, "itm_head", t.hiddenSize(), 2, true) : null;
        temp = parts.contains(Part.TEMP) ? params.register("temp", new Shape(), Init.CONSTANT, 0.07f) : null;
    }

    public BlipConfig config() {
        return config;
    }

    public Set<Part> parts() {
        return parts;
    }

    public ParameterSet parameters() {
        return params;
    }

    public NDManager manager() {
        return manager;
    }

    public int decoderCrossWidth() {
        return decoderCrossWidth;
    }

    public boolean has(Part part) {
        return parts.contains(part);
    }

    /** Fails with a {@link MissingPartException} naming {@code operation} when this model lacks {@code part}. */
    public void require(Part part, String operation) {
        if (!parts.contains(part)) {
            throw new MissingPartException(part, operation, parts);
        }
    }

    public VisionTransformer vision() {
        return vision;
    }

    public TextTransformer textEncoder() {
        require(Part.TEXT_ENCODER, "text encoding");
        return textEncoder;
    }

    public TextTransformer textDecoder() {
        require(Part.TEXT_DECODER, "text decoding");
        return textDecoder;
    }

    public LmHead lmHead() {
        require(Part.TEXT_DECODER, "language modelling");
        return lmHead;
    }

    /**
     * Hands this model's inference forwards (training = false) to {@code engine} (null: back to libtorch). Only for
     * frozen weights: the engine keeps a copy of them. The model closes the engine.
     */
    public void useFrozenInference(FrozenInference engine) {
        if (frozen != null && frozen != engine) {
            frozen.close();
        }
        frozen = engine;
    }

    /** Inference forwards go to the frozen engine, never a forward whose gradients are being recorded. */
    private boolean useFrozen(boolean training) {
        return !training && frozen != null && !org.blip4j.engine.Engines.recordingGradients();
    }

    /** The engine attached by {@link #useFrozenInference}, or null. */
    public FrozenInference frozenInference() {
        return frozen;
    }

    /** pixels (B,3,S,S) → image embeddings (B, 1+N, Dv). */
    public NDArray imageEmbeds(NDArray pixels, boolean training) {
        if (useFrozen(training)) {
            return frozen.imageEmbeds(pixels);
        }
        return vision.forward(pixels, training);
    }

    /** ITC image features: normalize(vision_proj(embeds[:,0])) → (B, E). */
    public NDArray imageFeatures(NDArray imageEmbeds) {
        require(Part.VISION_PROJ, "ITC image features");
        return Ops.l2Normalize(visionProj.forward(cls(imageEmbeds)));
    }

    /**
     * ITC image features straight from pixels, as {@code imageFeatures(imageEmbeds(pixels))} but computing only the
     * [CLS] row in the last ViT block ({@link VisionTransformer#forwardCls}): for the momentum encoder, whose
     * other image tokens nothing reads.
     */
    public NDArray imageFeaturesOfPixels(NDArray pixels, boolean training) {
        require(Part.VISION_PROJ, "ITC image features");
        if (useFrozen(training)) {
            return imageFeatures(imageEmbeds(pixels, training));
        }
        return Ops.l2Normalize(visionProj.forward(vision.forwardCls(pixels, training)));
    }

    /**
     * Video ITC features (orig {@code eval_retrieval_video.py}): the mean over frames of the projected frame [CLS]
     * features, then L2-normalised. frame embeddings (B, N, 1+P, Dv) → (B, E).
     */
    public NDArray videoFeatures(NDArray frameEmbeds) {
        require(Part.VISION_PROJ, "video ITC features");
        return Ops.l2Normalize(visionProj.forward(frameEmbeds.get(":, :, 0, :")).mean(new int[] {1}));
    }

    /**
     * A video's cross-attention states: its frames' tokens concatenated, (B, N, 1+P, Dv) → (B, N·(1+P), Dv), as
     * {@code eval_retrieval_video.py} does ({@code image_feat.view(B, -1, D)}) and the paper's zero-shot video QA.
     */
    public static NDArray videoTokens(NDArray frameEmbeds) {
        var s = frameEmbeds.getShape();
        return frameEmbeds.reshape(s.get(0), s.get(1) * s.get(2), s.get(3));
    }

    /** Unimodal text hidden states ([CLS] first, no cross-attention) → (B, L, H). */
    public NDArray textHidden(NDArray ids, NDArray mask, boolean training) {
        if (useFrozen(training)) {
            require(Part.TEXT_ENCODER, "text encoding");
            return frozen.textHidden(ids, mask);
        }
        return textEncoder().forward(ids, mask, TextMode.TEXT, null, null, null, training);
    }

    /** ITC text features: normalize(text_proj(text_encoder(ids, mode=text)[:,0])) → (B, E). */
    public NDArray textFeatures(NDArray ids, NDArray mask, boolean training) {
        require(Part.TEXT_PROJ, "ITC text features");
        if (useFrozen(training)) {
            require(Part.TEXT_ENCODER, "text encoding");
            return Ops.l2Normalize(textProj.forward(frozen.textCls(ids, mask)));
        }
        return Ops.l2Normalize(textProj.forward(textEncoder().forwardCls(ids, mask, TextMode.TEXT, null, null,
                training)));
    }

    /** Image-grounded encoder hidden states (ids should start with [ENC]) → (B, L, H). */
    public NDArray groundedHidden(NDArray ids, NDArray mask, NDArray imageEmbeds, boolean training) {
        if (useFrozen(training)) {
            require(Part.TEXT_ENCODER, "text encoding");
            return frozen.groundedHidden(ids, mask, imageEmbeds);
        }
        return textEncoder().forward(ids, mask, TextMode.GROUNDED_ENCODER, imageEmbeds, null, null, training);
    }

    /** ITM logits (B, 2): class 1 = match. */
    public NDArray itmLogits(NDArray ids, NDArray mask, NDArray imageEmbeds, boolean training) {
        require(Part.ITM_HEAD, "image-text matching");
        if (useFrozen(training)) {
            require(Part.TEXT_ENCODER, "text encoding");
            return itmHead.forward(frozen.groundedCls(ids, mask, imageEmbeds));
        }
        return itmHead.forward(textEncoder().forwardCls(ids, mask, TextMode.GROUNDED_ENCODER, imageEmbeds, null,
                training));
    }

    /**
     * The image side of every text-encoder cross-attention layer, projected once (see {@link CrossKeyValues}): for
     * ITM with negatives and, where the decoder's cross-attention is tied to the encoder's (pre-training), the LM.
     */
    public CrossKeyValues imageKeyValues(NDArray imageEmbeds) {
        return textEncoder().crossKeyValues(imageEmbeds);
    }

    /** ITM logits (T, 2) of texts against projected images ({@code images.rows(...)} pairs them up). */
    public NDArray itmLogits(NDArray ids, NDArray mask, CrossKeyValues images, boolean training) {
        require(Part.ITM_HEAD, "image-text matching");
        return itmHead.forward(textEncoder().forwardCls(ids, mask, TextMode.GROUNDED_ENCODER, null, images,
                training));
    }

    /** Decoder logits (B, L, V) against projected images (no cache; an untied decoder projects them itself). */
    public NDArray decoderLogits(NDArray ids, NDArray mask, CrossKeyValues images, boolean training) {
        return lmHead().forward(textDecoder().forward(ids, mask, TextMode.DECODER, images, training));
    }

    /** Decoder logits (B, L, V) for every position (ids start with [DEC]). */
    public NDArray decoderLogits(NDArray ids, NDArray mask, NDArray encoderStates, NDArray encoderMask,
            DecoderCache cache, boolean training) {
        NDArray hidden = textDecoder().forward(ids, mask, TextMode.DECODER, encoderStates, encoderMask, cache,
                training);
        return lmHead.forward(hidden);
    }

    /** The learned ITC temperature, clamped to [0.001, 0.5] as the original does before every use. */
    public NDArray temperature() {
        require(Part.TEMP, "ITC temperature");
        return temp.array().clip(0.001f, 0.5f);
    }

    public Linear itmHead() {
        require(Part.ITM_HEAD, "image-text matching");
        return itmHead;
    }

    public Linear visionProj() {
        require(Part.VISION_PROJ, "ITC image features");
        return visionProj;
    }

    public Linear textProj() {
        require(Part.TEXT_PROJ, "ITC text features");
        return textProj;
    }

    /** Token 0 of (B, L, D) → (B, D). */
    static NDArray cls(NDArray seq) {
        return seq.get(":, 0, :");
    }

    @Override
    public void close() {
        useFrozenInference(null);
        params.close();
    }
}
