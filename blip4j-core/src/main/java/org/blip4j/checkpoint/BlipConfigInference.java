package org.blip4j.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds an HF {@code BlipConfig} JSON from the shapes of an HF-named BLIP state dict. Sizes come from the weights;
 * what shapes cannot tell (heads, eps, dropouts, special ids) comes from the caller, then {@code med_config.json},
 * then BLIP's own values: ViT LayerNorm eps is the original 1e-6 (HF hub configs say 1e-5, spec §11.1), heads are
 * width/64 as in every released BLIP.
 */
public final class BlipConfigInference {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VISION_LAYER =
            Pattern.compile("^" + Pattern.quote(CheckpointKeys.VISION_LAYERS) + "\\.(\\d+)\\.");

    /** What the weights do not determine. Null fields fall back as described on the class. */
    public record Hints(Integer visionHeads, Integer textHeads, JsonNode medConfig, Integer sepTokenId,
                        Integer padTokenId) {
        public static Hints none() {
            return new Hints(null, null, null, null, null);
        }
    }

    private BlipConfigInference() {
    }

    public static ObjectNode infer(Map<String, RawTensor> w, Hints hints) {
        RawTensor patch = require(w, CheckpointKeys.VISION_PATCH_EMBEDDING_WEIGHT);
        boolean encoder = w.containsKey(CheckpointKeys.wordEmbeddings(CheckpointKeys.TEXT_ENCODER));
        boolean decoder = w.containsKey(CheckpointKeys.wordEmbeddings(CheckpointKeys.TEXT_DECODER));
        if (!encoder && !decoder) {
            throw new IllegalArgumentException("checkpoint has a vision model but neither text_encoder nor"
                    + " text_decoder weights");
        }
        ObjectNode config = JSON.createObjectNode();
        config.set("architectures", JSON.valueToTree(architectures(w)));
        RawTensor visionProj = w.get(CheckpointKeys.VISION_PROJ_WEIGHT);
        int projection = visionProj != null ? (int) visionProj.shape()[0] : -1;
        config.put("image_text_hidden_size", projection > 0 ? projection : 256);
        config.put("initializer_factor", 1.0);
        config.put("initializer_range", 0.02);
        config.put("logit_scale_init_value", 2.6592);
        config.put("model_type", "blip");
        config.put("projection_dim", projection > 0 ? projection : 512);
        config.set("text_config", textConfig(w, hints,
                decoder ? CheckpointKeys.TEXT_DECODER : CheckpointKeys.TEXT_ENCODER,
                encoder ? CheckpointKeys.TEXT_ENCODER : CheckpointKeys.TEXT_DECODER, projection));
        config.put("torch_dtype", torchDtype(patch.dtype()));
        config.set("vision_config", visionConfig(w, hints, projection));
        if (NlvrCheckpointLayout.isNlvr(w.keySet())) {
            addNlvrKeys(config, w);
        }
        return config;
    }

    /**
     * The keys of an NLVR2 model (orig {@code models/blip_nlvr.py}), which HF has no class for: see
     * {@code NlvrConfigJson}. The merge layers come from the {@code merge_layer} weights.
     */
    private static void addNlvrKeys(ObjectNode config, Map<String, RawTensor> w) {
        config.put("num_labels", 2);
        config.putObject("id2label").put("0", "False").put("1", "True");
        config.putObject("label2id").put("False", 0).put("True", 1);
        config.put("nlvr_num_images", 2);
        config.put("nlvr_classifier_hidden_size", w.get(NlvrCheckpointLayout.CLS_HEAD_WEIGHT).shape()[0]);
        config.put("nlvr_classifier_activation", "relu");
        ObjectNode text = (ObjectNode) config.get("text_config");
        text.put("is_decoder", false);
        text.put("nlvr_merge_layer_start", NlvrCheckpointLayout.mergeLayerStart(w.keySet()));
    }

    /** Task heads present → HF classes, e.g. vision + decoder → BlipForConditionalGeneration. */
    public static List<String> architectures(Map<String, RawTensor> w) {
        if (NlvrCheckpointLayout.isNlvr(w.keySet())) {
            return List.of("BlipForNlvr");
        }
        boolean encoder = w.containsKey(CheckpointKeys.wordEmbeddings(CheckpointKeys.TEXT_ENCODER));
        boolean decoder = w.containsKey(CheckpointKeys.wordEmbeddings(CheckpointKeys.TEXT_DECODER));
        boolean retrievalHeads = w.containsKey(CheckpointKeys.VISION_PROJ_WEIGHT)
                && w.containsKey(CheckpointKeys.TEXT_PROJ_WEIGHT) && w.containsKey(CheckpointKeys.ITM_HEAD_WEIGHT);
        List<String> out = new ArrayList<>();
        if (decoder && encoder && !retrievalHeads) {
            out.add("BlipForQuestionAnswering");
            return out;
        }
        if (decoder) {
            out.add("BlipForConditionalGeneration");
        }
        if (encoder && retrievalHeads) {
            out.add("BlipForImageTextRetrieval");
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("cannot tell the task: a text encoder without vision_proj/text_proj/"
                    + "itm_head and without a decoder matches no BLIP model class");
        }
        return out;
    }

    private static ObjectNode visionConfig(Map<String, RawTensor> w, Hints hints, int projection) {
        long[] patch = require(w, CheckpointKeys.VISION_PATCH_EMBEDDING_WEIGHT).shape();
        int hidden = (int) patch[0];
        int patchSize = (int) patch[2];
        long positions = require(w, CheckpointKeys.VISION_POSITION_EMBEDDING).shape()[1];
        int grid = (int) Math.round(Math.sqrt(positions - 1));
        if (grid * grid != positions - 1) {
            throw new IllegalArgumentException("vision_model.embeddings.position_embedding has " + positions
                    + " rows, not 1 + a square number of patches");
        }
        ObjectNode v = JSON.createObjectNode();
        v.put("attention_dropout", 0.0);
        v.put("dropout", 0.0);
        v.put("hidden_act", "gelu");
        v.put("hidden_size", hidden);
        v.put("image_size", grid * patchSize);
        v.put("initializer_factor", 1.0);
        v.put("initializer_range", 0.02);
        v.put("intermediate_size", require(w, CheckpointKeys.VISION_FIRST_MLP_WEIGHT).shape()[0]);
        v.put("layer_norm_eps", 1e-6);
        v.put("model_type", "blip_vision_model");
        v.put("num_attention_heads", heads(hints.visionHeads(), null, hidden, "vision"));
        v.put("num_channels", patch[1]);
        v.put("num_hidden_layers", layerCount(w, VISION_LAYER, CheckpointKeys.VISION_LAYERS));
        v.put("patch_size", patchSize);
        v.put("projection_dim", projection > 0 ? projection : 512);
        return v;
    }

    private static ObjectNode textConfig(Map<String, RawTensor> w, Hints hints, String prefix, String crossPrefix,
                                         int projection) {
        JsonNode med = hints.medConfig();
        long[] words = require(w, CheckpointKeys.wordEmbeddings(prefix)).shape();
        int vocab = (int) words[0];
        int hidden = (int) words[1];
        String cross = CheckpointKeys.crossAttentionKey(crossPrefix, 0, "self");
        String nlvrCross = CheckpointKeys.crossAttentionKey(crossPrefix, 0, "self0");
        int encoderWidth = w.containsKey(cross) ? (int) w.get(cross).shape()[1]
                : w.containsKey(nlvrCross) ? (int) w.get(nlvrCross).shape()[1] : hidden;
        int sep = hints.sepTokenId() != null ? hints.sepTokenId() : medInt(med, "sep_token_id", 102);
        ObjectNode t = JSON.createObjectNode();
        t.put("attention_probs_dropout_prob", medDouble(med, "attention_probs_dropout_prob", 0.0));
        t.put("bos_token_id", vocab - 2); // [DEC], added after the BERT vocabulary ([ENC] is vocab-1)
        t.put("encoder_hidden_size", encoderWidth);
        t.put("eos_token_id", sep); // BLIP stops on [SEP]; HF's default 2 is a placeholder (spec §11.20)
        t.put("hidden_act", med != null && med.hasNonNull("hidden_act") ? med.get("hidden_act").asText() : "gelu");
        t.put("hidden_dropout_prob", medDouble(med, "hidden_dropout_prob", 0.0));
        t.put("hidden_size", hidden);
        t.put("initializer_range", 0.02);
        t.put("intermediate_size", require(w, CheckpointKeys.intermediate(prefix, 0)).shape()[0]);
        t.put("is_decoder", true);
        t.put("label_smoothing", 0.1); // every original LM loss uses 0.1 (spec §11.7)
        t.put("layer_norm_eps", medDouble(med, "layer_norm_eps", 1e-12));
        t.put("max_position_embeddings", require(w, CheckpointKeys.positionEmbeddings(prefix)).shape()[0]);
        t.put("model_type", "blip_text_model");
        t.put("num_attention_heads", heads(hints.textHeads(), med, hidden, "text"));
        t.put("num_hidden_layers", layerCount(w, Pattern.compile("^" + Pattern.quote(prefix)
                + "encoder\\.layer\\.(\\d+)\\."), prefix + "encoder.layer"));
        t.put("pad_token_id", hints.padTokenId() != null ? hints.padTokenId() : medInt(med, "pad_token_id", 0));
        t.put("projection_dim", projection > 0 ? projection : 768);
        t.put("sep_token_id", sep);
        t.put("tie_word_embeddings", true);
        t.put("use_cache", true);
        t.put("vocab_size", vocab);
        return t;
    }

    private static int heads(Integer given, JsonNode med, int width, String which) {
        if (given != null) {
            if (given <= 0 || width % given != 0) {
                throw new IllegalArgumentException(which + " heads " + given + " do not divide width " + width);
            }
            return given;
        }
        if (med != null && med.hasNonNull("num_attention_heads")) {
            return med.get("num_attention_heads").asInt();
        }
        if (width % 64 != 0) {
            throw new IllegalArgumentException(which + " width " + width + " is not a multiple of 64: pass the "
                    + which + " head count explicitly (--" + which + "-heads)");
        }
        return width / 64;
    }

    private static int layerCount(Map<String, RawTensor> w, Pattern p, String what) {
        int max = -1;
        for (String k : w.keySet()) {
            Matcher m = p.matcher(k);
            if (m.find()) {
                max = Math.max(max, Integer.parseInt(m.group(1)));
            }
        }
        if (max < 0) {
            throw new IllegalArgumentException("no " + what + ".N.* weights found");
        }
        return max + 1;
    }

    private static RawTensor require(Map<String, RawTensor> w, String key) {
        RawTensor t = w.get(key);
        if (t == null) {
            throw new IllegalArgumentException("missing weight '" + key + "'");
        }
        return t;
    }

    private static int medInt(JsonNode med, String field, int dflt) {
        return med != null && med.hasNonNull(field) ? med.get(field).asInt() : dflt;
    }

    private static double medDouble(JsonNode med, String field, double dflt) {
        return med != null && med.hasNonNull(field) ? med.get(field).asDouble() : dflt;
    }

    private static String torchDtype(DType d) {
        return switch (d) {
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            case F64 -> "float64";
            default -> "float32";
        };
    }
}
