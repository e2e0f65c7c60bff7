package org.blip4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every key a training config may hold, for which task, and of which type: the keys of the original BLIP configs
 * ({@code configs/pretrain.yaml}, {@code caption_coco.yaml}, {@code nocaps.yaml}, {@code retrieval_coco.yaml},
 * {@code retrieval_flickr.yaml}, {@code retrieval_msrvtt.yaml}, {@code vqa.yaml}, {@code nlvr.yaml}) with their
 * meaning there, and blip4j's own. A key of another task, or an unknown one, is an error that names it (with the
 * closest known names). Config kinds: {@code pretrain}, {@code caption} (caption_coco, nocaps), {@code retrieval}
 * (retrieval_coco, retrieval_flickr), {@code vqa}, {@code nlvr}, {@code video_retrieval} (retrieval_msrvtt).
 * docs/CONFIGS.md explains each key.
 */
public final class ConfigKeys {
    /** Value kinds; null is accepted for every key (it means "not set"). */
    public enum Type { INT, NUMBER, BOOL, STRING, STRINGS }

    /** One key: its type, allowed values (empty: any), and the config kinds that accept it. */
    public record Key(String name, Type type, List<String> values, Set<String> kinds) {
    }

    static final Set<String> TRAINING = Set.of("pretrain", "caption", "retrieval", "vqa", "nlvr");
    /**
     * Config kinds that these trainers do not run: their keys are known so that the error says where they belong
     * (NLVR2 fine-tuning reads its own config, video retrieval is an evaluation command).
     */
    static final Map<String, String> NOT_AVAILABLE = Map.of(
            "nlvr", "NLVR2 fine-tuning (configs/nlvr.yaml) runs as 'blip finetune nlvr'",
            "video_retrieval",
            "text-video retrieval (configs/retrieval_msrvtt.yaml) runs as 'blip eval retrieval-video'");

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    /** Alias → the key the trainer reads; a config holds one of each pair (see {@link TrainConfig}). */
    public static final Map<String, String> ALIASES = Map.of(
            "batch_size", "batch_size_train",
            "vit", "model_config",
            "pretrained", "init_from");

    static {
        Set<String> all = Set.of("pretrain", "caption", "retrieval", "vqa", "nlvr", "video_retrieval");
        Set<String> finetune = Set.of("caption", "retrieval", "vqa", "nlvr", "video_retrieval");
        // the official keys
        key("train_file", Type.STRINGS, Set.of("pretrain", "caption", "retrieval", "vqa"));
        key("laion_path", Type.STRING, Set.of("pretrain"));
        key("vit", Type.STRING, List.of("base", "large"), all);
        key("vit_grad_ckpt", Type.BOOL, TRAINING);
        key("vit_ckpt_layer", Type.INT, TRAINING);
        key("image_size", Type.INT, all);
        key("batch_size", Type.INT, Set.of("pretrain", "caption", "video_retrieval"));
        key("batch_size_train", Type.INT, TRAINING);
        key("batch_size_test", Type.INT, Set.of("retrieval", "vqa", "nlvr"));
        key("queue_size", Type.INT, Set.of("pretrain", "retrieval"));
        key("alpha", Type.NUMBER, Set.of("pretrain", "retrieval"));
        key("weight_decay", Type.NUMBER, TRAINING);
        key("init_lr", Type.NUMBER, TRAINING);
        key("min_lr", Type.NUMBER, TRAINING);
        key("warmup_lr", Type.NUMBER, TRAINING);
        key("lr_decay_rate", Type.NUMBER, TRAINING);
        key("warmup_steps", Type.INT, TRAINING);
        key("max_epoch", Type.INT, TRAINING);
        key("image_root", Type.STRING, Set.of("pretrain", "caption", "retrieval", "vqa", "nlvr"));
        key("ann_root", Type.STRING, finetune);
        key("coco_gt_root", Type.STRING, Set.of("caption"));
        key("pretrained", Type.STRING, finetune);
        key("max_length", Type.INT, Set.of("caption"));
        key("min_length", Type.INT, Set.of("caption"));
        key("num_beams", Type.INT, Set.of("caption"));
        key("prompt", Type.STRING, Set.of("caption"));
        key("dataset", Type.STRING, List.of("coco", "flickr"), Set.of("retrieval"));
        key("k_test", Type.INT, Set.of("retrieval", "vqa", "video_retrieval"));
        key("negative_all_rank", Type.BOOL, Set.of("retrieval"));
        key("vqa_root", Type.STRING, Set.of("vqa"));
        key("vg_root", Type.STRING, Set.of("vqa"));
        key("train_files", Type.STRINGS, Set.of("vqa"));
        key("inference", Type.STRING, List.of("rank", "generate"), Set.of("vqa"));
        key("video_root", Type.STRING, Set.of("video_retrieval"));
        key("num_frm_test", Type.INT, Set.of("video_retrieval"));
        // blip4j's own
        key("task", Type.STRING, all);
        key("model_config", Type.STRING, all);
        key("init_from", Type.STRING, TRAINING);
        key("init_vision_from", Type.STRING, TRAINING);
        key("tokenizer", Type.STRING, all);
        key("grad_accum_steps", Type.INT, TRAINING);
        key("schedule", Type.STRING, List.of("step", "cosine_epoch", "cosine_step"), TRAINING);
        key("randaugment", Type.BOOL, TRAINING);
        key("hflip", Type.BOOL, TRAINING);
        key("min_scale", Type.NUMBER, TRAINING);
        key("dropout", Type.NUMBER, TRAINING);
        key("drop_path_rate", Type.NUMBER, Set.of("pretrain", "vqa", "nlvr"));
        // the LM losses' smoothing (pre-training, captioning); the ITC/ITM and VQA losses have none
        key("label_smoothing", Type.NUMBER, Set.of("pretrain", "caption"));
        key("clip_grad_norm", Type.NUMBER, TRAINING);
        key("seed", Type.INT, TRAINING);
        key("num_workers", Type.INT, TRAINING);
        key("save_every_steps", Type.INT, TRAINING);
        key("keep_last", Type.INT, TRAINING);
        // caption truncation (VQA questions go through pre_question instead)
        key("text_max_length", Type.INT, Set.of("pretrain", "caption", "retrieval"));
        key("max_words", Type.INT, Set.of("pretrain", "caption", "retrieval"));
        key("max_steps", Type.INT, TRAINING);
        key("momentum", Type.NUMBER, Set.of("pretrain", "retrieval"));
        key("freeze_vision", Type.BOOL, TRAINING);
        key("pre_question", Type.BOOL, Set.of("vqa"));
        key("initializer_range", Type.NUMBER, TRAINING);
        // converting an original .pth given as init_from / pretrained (as blip convert's options)
        key("med_config", Type.STRING, TRAINING);
        key("vision_heads", Type.INT, TRAINING);
        key("text_heads", Type.INT, TRAINING);
    }

    private ConfigKeys() {
    }

    private static void key(String name, Type type, Set<String> kinds) {
        key(name, type, List.of(), kinds);
    }

    private static void key(String name, Type type, List<String> values, Set<String> kinds) {
        KEYS.put(name, new Key(name, type, values, kinds));
    }

    public static Map<String, Key> all() {
        return KEYS;
    }

    /** The config kind of a training task. */
    public static String kind(TrainingTask task) {
        return task.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Checks one key and its value for a config kind; throws naming the key and {@code where} it came from. */
    public static void check(String name, JsonNode value, String kind, String where) {
        Key k = KEYS.get(name);
        if (k == null) {
            List<String> near = closest(name, 3);
            throw new IllegalArgumentException(where + ": unknown config key '" + name + "'"
                    + (near.isEmpty() ? "" : " (did you mean " + String.join(", ", near) + "?)"));
        }
        if (!k.kinds().contains(kind)) {
            List<String> owners = k.kinds().stream().sorted().toList();
            throw new IllegalArgumentException(where + ": key '" + name + "' belongs to " + String.join("/", owners)
                    + " configs, not to a " + kind + " config" + availability(owners));
        }
        if (value == null || value.isNull()) {
            return;
        }
        String bad = switch (k.type()) {
            case INT -> value.isIntegralNumber() || value.isTextual() && value.asText().matches("-?\\d+") ? null
                    : "an integer";
            case NUMBER -> value.isNumber() || value.isTextual() && isNumber(value.asText()) ? null : "a number";
            case BOOL -> value.isBoolean() || value.isTextual() && value.asText().matches("(?i)true|false") ? null
                    : "true or false";
            case STRING -> value.isValueNode() ? null : "a string";
            case STRINGS -> value.isValueNode() || value.isArray() ? null : "a string or a list of strings";
        };
        if (bad == null && !k.values().isEmpty() && !k.values().contains(value.asText())) {
            bad = "one of " + k.values();
        }
        if (bad != null) {
            throw new IllegalArgumentException(where + ": key '" + name + "' must be " + bad + ", got " + value);
        }
    }

    private static String availability(List<String> owners) {
        List<String> missing = owners.stream().filter(NOT_AVAILABLE::containsKey).map(NOT_AVAILABLE::get).toList();
        return missing.size() == owners.size() ? " (" + String.join("; ", missing) + ")"
                : "";
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Known keys within edit distance 3 (or sharing a prefix), closest first. */
    static List<String> closest(String name, int n) {
        List<String> out = new ArrayList<>();
        KEYS.keySet().stream()
                .filter(k -> distance(k, name) <= Math.max(2, name.length() / 3) || k.startsWith(name)
                        || name.startsWith(k))
                .sorted(Comparator.comparingInt((String k) -> distance(k, name)).thenComparing(k -> k))
                .limit(n).forEach(out::add);
        return out;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
