package org.blip4j.model;

/** The three uses of the one MED text transformer (paper §3.1; docs/MODEL.md). */
public enum TextMode {
    /** Unimodal text encoder: bidirectional self-attention, no cross-attention ([CLS], ITC). */
    TEXT(false, false),
    /** Image-grounded encoder: bidirectional self-attention + cross-attention ([ENC], ITM, VQA questions). */
    GROUNDED_ENCODER(false, true),
    /** Image-grounded decoder: causal self-attention + cross-attention ([DEC], LM, captioning). */
    DECODER(true, true);

    public final boolean causal;
    public final boolean crossAttention;

    TextMode(boolean causal, boolean crossAttention) {
        this.causal = causal;
        this.crossAttention = crossAttention;
    }
}
