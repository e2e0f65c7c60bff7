package org.blip4j.model;

/**
 * The NLVR2 model's configuration (orig {@code models/blip_nlvr.py} {@code BLIP_NLVR}): a BLIP config (ViT + MED
 * text encoder) plus what only NLVR has.
 *
 * @param mergeLayerStart text layer {@code i} combines its two image branches with {@code merge_layer} iff
 *     {@code i >= mergeLayerStart}, else it averages them ({@code text_config.nlvr_merge_layer_start}; 6 in the
 *     released 12-layer model, where {@code models/nlvr_encoder.py} tests {@code layer_num >= 6}). Read from the
 *     config or from which layers carry {@code merge_layer} weights, never derived from the layer count.
 * @param classifierHidden width of {@code cls_head.0} (the text width in the official model)
 */
public record NlvrConfig(BlipConfig blip, int mergeLayerStart, int classifierHidden) {
    /** The (invented, HF has no such class) architecture name of an NLVR2 model directory. */
    public static final String ARCHITECTURE = "BlipForNlvr";
    /** Classes of {@code cls_head}: 0 = "False", 1 = "True" (orig {@code data/nlvr_dataset.py}). */
    public static final int NUM_LABELS = 2;
    /** Released NLVR2 model: layers 0–5 average, 6–11 merge. */
    public static final int RELEASED_MERGE_LAYER_START = 6;

    public NlvrConfig {
        int layers = blip.text().numHiddenLayers();
        VisionConfig.require(mergeLayerStart >= 0 && mergeLayerStart <= layers, "text_config.nlvr_merge_layer_start "
                + mergeLayerStart + " must lie in [0, num_hidden_layers = " + layers + "]");
        VisionConfig.require(classifierHidden > 0, "nlvr_classifier_hidden_size must be > 0, got " + classifierHidden);
    }

    public TextConfig text() {
        return blip.text();
    }

    public VisionConfig vision() {
        return blip.vision();
    }

    public boolean merges(int layer) {
        return layer >= mergeLayerStart;
    }

    public NlvrConfig withImageSize(int size) {
        return new NlvrConfig(blip.withVision(blip.vision().withImageSize(size)), mergeLayerStart, classifierHidden);
    }
}
