package org.blip4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.blip4j.checkpoint.NlvrCheckpointLayout;

/**
 * The {@code config.json} of an NLVR2 model: HF's {@code BlipConfig} layout with {@code architectures:
 * ["BlipForNlvr"]} and these keys HF does not have: {@code nlvr_num_images} (2), {@code nlvr_classifier_hidden_size},
 * {@code nlvr_classifier_activation} ("relu"), {@code text_config.nlvr_merge_layer_start}; plus HF's
 * {@code num_labels} (2) and {@code id2label} ({@code 0: "False", 1: "True"}). docs/NLVR_VIDEO.md describes them.
 */
public final class NlvrConfigJson {
    static final String MERGE_LAYER_START = "nlvr_merge_layer_start";
    static final String NUM_IMAGES = "nlvr_num_images";
    static final String CLASSIFIER_HIDDEN = "nlvr_classifier_hidden_size";
    static final String CLASSIFIER_ACTIVATION = "nlvr_classifier_activation";

    private NlvrConfigJson() {
    }

    public static boolean isNlvr(BlipConfig config) {
        return config.architectures().contains(NlvrConfig.ARCHITECTURE);
    }

    /**
     * @param weightKeys the checkpoint's keys: where the config has no {@code nlvr_merge_layer_start}, the layers
     *     carrying {@code merge_layer} weights decide (null: the key is required)
     */
    public static NlvrConfig parse(JsonNode root, Set<String> weightKeys) {
        BlipConfig blip = BlipConfigJson.parse(root);
        int images = root.path(NUM_IMAGES).asInt(2);
        int labels = root.path("num_labels").asInt(NlvrConfig.NUM_LABELS);
        String activation = root.path(CLASSIFIER_ACTIVATION).asText("relu");
        if (images != 2 || labels != NlvrConfig.NUM_LABELS || !activation.equals("relu")) {
            throw new IllegalArgumentException("an NLVR2 model has " + NUM_IMAGES + " 2, num_labels 2 and "
                    + CLASSIFIER_ACTIVATION + " \"relu\"; got " + images + ", " + labels + ", \"" + activation + "\"");
        }
        JsonNode start = root.path("text_config").get(MERGE_LAYER_START);
        int mergeStart;
        if (start != null && !start.isNull()) {
            if (!start.canConvertToInt()) {
                throw new IllegalArgumentException("text_config." + MERGE_LAYER_START + " must be an integer, got "
                        + start);
            }
            mergeStart = start.asInt();
        } else if (weightKeys != null) {
            mergeStart = NlvrCheckpointLayout.mergeLayerStart(weightKeys);
        } else {
            throw new IllegalArgumentException("text_config." + MERGE_LAYER_START + " is missing");
        }
        JsonNode hidden = root.get(CLASSIFIER_HIDDEN);
        int classifierHidden = hidden == null || hidden.isNull() ? blip.text().hiddenSize() : hidden.asInt();
        return new NlvrConfig(blip, mergeStart, classifierHidden);
    }

    public static ObjectNode toJson(NlvrConfig c) {
        ObjectNode root = BlipConfigJson.toJson(c.blip().withArchitectures(java.util.List.of(NlvrConfig.ARCHITECTURE)));
        root.put("num_labels", NlvrConfig.NUM_LABELS);
        root.putObject("id2label").put("0", "False").put("1", "True");
        root.putObject("label2id").put("False", 0).put("True", 1);
        root.put(NUM_IMAGES, 2);
        root.put(CLASSIFIER_HIDDEN, c.classifierHidden());
        root.put(CLASSIFIER_ACTIVATION, "relu");
        ObjectNode text = (ObjectNode) root.get("text_config");
        text.put("is_decoder", false);
        text.put(MERGE_LAYER_START, c.mergeLayerStart());
        return root;
    }
}
