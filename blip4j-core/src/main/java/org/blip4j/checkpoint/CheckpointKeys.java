package org.blip4j.checkpoint;

/**
 * The checkpoint names (HF layout) that code reads by name outside the module that declares them: the converter's
 * config inference, the loader's position-embedding interpolation, the VQA answer decoder's width check. Each
 * name is written here once.
 */
public final class CheckpointKeys {
    public static final String VISION_POSITION_EMBEDDING = "vision_model.embeddings.position_embedding";
    public static final String VISION_PATCH_EMBEDDING_WEIGHT = "vision_model.embeddings.patch_embedding.weight";
    /** Prefix of the ViT blocks: {@code vision_model.encoder.layers.<i>.}. */
    public static final String VISION_LAYERS = "vision_model.encoder.layers";
    public static final String VISION_FIRST_MLP_WEIGHT = VISION_LAYERS + ".0.mlp.fc1.weight";
    /** Prefix of the text encoder (ITC/ITM, VQA question encoder, NLVR2). */
    public static final String TEXT_ENCODER = "text_encoder.";
    /** Prefix of the text decoder's BERT (captioning, VQA answers). */
    public static final String TEXT_DECODER = "text_decoder.bert.";
    public static final String VISION_PROJ_WEIGHT = "vision_proj.weight";
    public static final String TEXT_PROJ_WEIGHT = "text_proj.weight";
    public static final String ITM_HEAD_WEIGHT = "itm_head.weight";

    private CheckpointKeys() {
    }

    /** {@code <text>embeddings.word_embeddings.weight}. */
    public static String wordEmbeddings(String text) {
        return text + "embeddings.word_embeddings.weight";
    }

    /** {@code <text>embeddings.position_embeddings.weight}. */
    public static String positionEmbeddings(String text) {
        return text + "embeddings.position_embeddings.weight";
    }

    /** {@code <text>encoder.layer.<layer>.crossattention.<self>.key.weight} ({@code self}, or self0/self1 in NLVR2). */
    public static String crossAttentionKey(String text, int layer, String self) {
        return text + "encoder.layer." + layer + ".crossattention." + self + ".key.weight";
    }

    /** {@code <text>encoder.layer.<layer>.intermediate.dense.weight}. */
    public static String intermediate(String text, int layer) {
        return text + "encoder.layer." + layer + ".intermediate.dense.weight";
    }
}
