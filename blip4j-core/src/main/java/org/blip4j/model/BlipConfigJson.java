package org.blip4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.util.AtomicFiles;
import org.blip4j.util.JsonLimits;

/**
 * Reads and writes HF BLIP {@code config.json}. Missing fields take HF's defaults (transformers
 * {@code BlipTextConfig}/{@code BlipVisionConfig}; docs/MODEL.md) with one deliberate exception: a missing
 * {@code text_config.num_attention_heads} becomes hidden_size/64 (12 for BERT-base), because HF's default of 8 is wrong
 * for every BLIP checkpoint (transformers issue #22625, fixed in the hub configs by PR #22632).
 */
public final class BlipConfigJson {
    /** HF {@code BlipVisionConfig}'s default layer_norm_eps, for a config.json that leaves it out. */
    static final double HF_VISION_LAYER_NORM_EPS = 1e-5;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BlipConfigJson() {
    }

    public static BlipConfig read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": config.json not found");
        }
        JsonNode root;
        try {
            root = JsonLimits.configMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public static BlipConfig parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("config is not a JSON object");
        }
        String type = root.path("model_type").asText("blip");
        if (!type.equals("blip")) {
            throw new IllegalArgumentException("model_type is '" + type + "', expected 'blip'");
        }
        VisionConfig vision = parseVision(root.path("vision_config"));
        TextConfig text = parseText(root.path("text_config"), vision.hiddenSize());
        List<String> archs = new ArrayList<>();
        root.path("architectures").forEach(n -> archs.add(n.asText()));
        // a "label_smoothing" key (older files) is accepted and ignored: the training config sets it
        return new BlipConfig(text, vision, intField(root, "image_text_hidden_size", 256), archs);
    }

    static VisionConfig parseVision(JsonNode v) {
        VisionConfig d = VisionConfig.base();
        return new VisionConfig(
                intField(v, "hidden_size", d.hiddenSize()),
                intField(v, "intermediate_size", d.intermediateSize()),
                intField(v, "num_hidden_layers", d.numHiddenLayers()),
                intField(v, "num_attention_heads", d.numAttentionHeads()),
                intField(v, "image_size", d.imageSize()),
                intField(v, "patch_size", d.patchSize()),
                intField(v, "num_channels", d.numChannels()),
                dbl(v, "layer_norm_eps", HF_VISION_LAYER_NORM_EPS),
                dbl(v, "attention_dropout", 0.0),
                dbl(v, "drop_path_rate", 0.0),
                dbl(v, "initializer_range", 0.02));
    }

    static TextConfig parseText(JsonNode t, int visionWidth) {
        TextConfig d = TextConfig.base();
        int hidden = intField(t, "hidden_size", d.hiddenSize());
        String act = t.path("hidden_act").asText("gelu");
        if (!act.equals("gelu")) {
            throw new IllegalArgumentException("text_config.hidden_act '" + act + "' is not supported (BLIP uses gelu)");
        }
        // BlipConfig overwrites encoder_hidden_size with the vision width; keep an explicit value when given.
        int encoderWidth = t.has("encoder_hidden_size") ? t.get("encoder_hidden_size").asInt() : visionWidth;
        return TextConfig.builder()
                .vocabSize(intField(t, "vocab_size", d.vocabSize()))
                .hiddenSize(hidden)
                .intermediateSize(intField(t, "intermediate_size", d.intermediateSize()))
                .numHiddenLayers(intField(t, "num_hidden_layers", d.numHiddenLayers()))
                .numAttentionHeads(intField(t, "num_attention_heads", Math.max(1, hidden / 64)))
                .maxPositionEmbeddings(intField(t, "max_position_embeddings", d.maxPositionEmbeddings()))
                .layerNormEps(dbl(t, "layer_norm_eps", d.layerNormEps()))
                .hiddenDropoutProb(dbl(t, "hidden_dropout_prob", 0.0))
                .attentionProbsDropoutProb(dbl(t, "attention_probs_dropout_prob", 0.0))
                .encoderHiddenSize(encoderWidth)
                .bosTokenId(intField(t, "bos_token_id", d.bosTokenId()))
                .sepTokenId(intField(t, "sep_token_id", d.sepTokenId()))
                .padTokenId(intField(t, "pad_token_id", d.padTokenId()))
                .eosTokenId(intField(t, "eos_token_id", d.eosTokenId()))
                .answerDecoderEncoderHiddenSize(intField(t, "answer_decoder_encoder_hidden_size", 0))
                .initializerRange(dbl(t, "initializer_range", 0.02))
                .build();
    }

    private static int intField(JsonNode n, String field, int def) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.canConvertToInt()) {
            throw new IllegalArgumentException("field '" + field + "' must be an integer, got " + v);
        }
        return v.asInt();
    }

    private static double dbl(JsonNode n, String field, double def) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException("field '" + field + "' must be a number, got " + v);
        }
        return v.asDouble();
    }

    public static ObjectNode toJson(BlipConfig c) {
        ObjectNode root = JSON.createObjectNode();
        var archs = root.putArray("architectures");
        c.architectures().forEach(archs::add);
        root.put("image_text_hidden_size", c.imageTextHiddenSize());
        root.put("initializer_factor", 1.0);
        root.put("initializer_range", 0.02);
        root.put("logit_scale_init_value", 2.6592);
        root.put("model_type", "blip");
        root.put("projection_dim", c.imageTextHiddenSize());
        TextConfig t = c.text();
        ObjectNode tn = root.putObject("text_config");
        tn.put("attention_probs_dropout_prob", t.attentionProbsDropoutProb());
        tn.put("bos_token_id", t.bosTokenId());
        tn.put("encoder_hidden_size", t.encoderHiddenSize());
        tn.put("eos_token_id", t.eosTokenId());
        tn.put("hidden_act", "gelu");
        tn.put("hidden_dropout_prob", t.hiddenDropoutProb());
        tn.put("hidden_size", t.hiddenSize());
        tn.put("initializer_range", t.initializerRange());
        tn.put("intermediate_size", t.intermediateSize());
        tn.put("is_decoder", true);
        tn.put("layer_norm_eps", t.layerNormEps());
        tn.put("max_position_embeddings", t.maxPositionEmbeddings());
        tn.put("model_type", "blip_text_model");
        tn.put("num_attention_heads", t.numAttentionHeads());
        tn.put("num_hidden_layers", t.numHiddenLayers());
        tn.put("pad_token_id", t.padTokenId());
        tn.put("sep_token_id", t.sepTokenId());
        tn.put("use_cache", true);
        tn.put("vocab_size", t.vocabSize());
        if (t.answerDecoderEncoderHiddenSize() > 0) {
            tn.put("answer_decoder_encoder_hidden_size", t.answerDecoderEncoderHiddenSize());
        }
        VisionConfig v = c.vision();
        ObjectNode vn = root.putObject("vision_config");
        vn.put("attention_dropout", v.attentionDropout());
        vn.put("drop_path_rate", v.dropPathRate());
        vn.put("hidden_act", "gelu");
        vn.put("hidden_size", v.hiddenSize());
        vn.put("image_size", v.imageSize());
        vn.put("initializer_range", v.initializerRange());
        vn.put("intermediate_size", v.intermediateSize());
        vn.put("layer_norm_eps", v.layerNormEps());
        vn.put("model_type", "blip_vision_model");
        vn.put("num_attention_heads", v.numAttentionHeads());
        vn.put("num_channels", v.numChannels());
        vn.put("num_hidden_layers", v.numHiddenLayers());
        vn.put("patch_size", v.patchSize());
        return root;
    }

    public static void write(Path file, BlipConfig c) throws IOException {
        AtomicFiles.writeString(file, JSON.writeValueAsString(toJson(c)) + "\n");
    }
}
