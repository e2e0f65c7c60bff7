package org.blip4j.checkpoint;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one table from original BLIP state-dict keys ({@code visual_encoder.blocks.0.attn.qkv.weight}) to HF keys
 * ({@code vision_model.encoder.layers.0.self_attn.qkv.weight}), plus the classification of the original keys an
 * inference checkpoint does not have.
 *
 * <p>Model keys use the substitutions of HF {@code convert_blip_original_pytorch_to_hf.py:rename_key}, in its
 * order, on every key (text keys and heads come out unchanged). Training-only keys are split off:
 * <ul>
 *   <li>{@link KeyKind#MOMENTUM}: {@code visual_encoder_m.}, {@code text_encoder_m.}, {@code vision_proj_m.},
 *   {@code text_proj_m.}. Their training name is the online module's HF name with {@code _m} appended to its first
 *   path component: {@code visual_encoder_m.blocks.0.attn.proj.weight} becomes
 *   {@code vision_model_m.encoder.layers.0.self_attn.projection.weight}, {@code text_encoder_m.X} stays.</li>
 *   <li>{@link KeyKind#QUEUE}: {@code image_queue}, {@code text_queue}, {@code idx_queue}, {@code queue_ptr},
 *   {@code ptr_queue}; names are kept.</li>
 *   <li>{@link KeyKind#BUFFER}: {@code *.position_ids}, recomputed (0..L-1) by any model; dropped everywhere.</li>
 * </ul>
 */
public final class OriginalCheckpointRenamer {

    /** What an original key is for. */
    public enum KeyKind { MODEL, MOMENTUM, QUEUE, BUFFER }

    /** (from, to) literal substitutions, applied in order to every key (HF converter order). */
    private static final List<String[]> RULES = List.of(
            new String[] {"visual_encoder", "vision_model.encoder"},
            new String[] {"blocks", "layers"},
            new String[] {"attn", "self_attn"},
            new String[] {"norm1", "layer_norm1"},
            new String[] {"norm2", "layer_norm2"},
            new String[] {"encoder.norm", "post_layernorm"},
            new String[] {"encoder.patch_embed.proj", "embeddings.patch_embedding"},
            new String[] {"encoder.pos_embed", "embeddings.position_embedding"},
            new String[] {"encoder.cls_token", "embeddings.class_embedding"},
            new String[] {"self_attn.proj", "self_attn.projection"});

    /** The inverse, for {@code vision_model.*} keys only (text keys and heads are identical in both layouts). */
    private static final List<String[]> INVERSE = List.of(
            new String[] {"self_attn.projection", "self_attn.proj"},
            new String[] {"vision_model.embeddings.class_embedding", "vision_model.encoder.cls_token"},
            new String[] {"vision_model.embeddings.position_embedding", "vision_model.encoder.pos_embed"},
            new String[] {"vision_model.embeddings.patch_embedding", "vision_model.encoder.patch_embed.proj"},
            new String[] {"vision_model.post_layernorm", "vision_model.encoder.norm"},
            new String[] {"layer_norm1", "norm1"},
            new String[] {"layer_norm2", "norm2"},
            new String[] {"self_attn", "attn"},
            new String[] {"layers", "blocks"},
            new String[] {"vision_model.encoder", "visual_encoder"});

    private static final List<String> MOMENTUM_PREFIXES =
            List.of("visual_encoder_m.", "text_encoder_m.", "vision_proj_m.", "text_proj_m.");
    private static final Set<String> QUEUES = Set.of("image_queue", "text_queue", "idx_queue", "queue_ptr", "ptr_queue");

    private OriginalCheckpointRenamer() {
    }

    /**
     * @param model         inference tensors under HF names
     * @param trainingState momentum tensors (HF-style {@code *_m} names) and queues (original names)
     * @param dropped       every original key left out of {@code model}, with the reason
     */
    public record Result(Map<String, RawTensor> model, Map<String, RawTensor> trainingState,
                         Map<String, KeyKind> dropped) {
        public Set<String> droppedKeys(KeyKind kind) {
            Set<String> out = new TreeSet<>();
            dropped.forEach((k, v) -> {
                if (v == kind) {
                    out.add(k);
                }
            });
            return out;
        }

        public Map<KeyKind, Integer> droppedCounts() {
            Map<KeyKind, Integer> out = new EnumMap<>(KeyKind.class);
            dropped.values().forEach(k -> out.merge(k, 1, Integer::sum));
            return out;
        }
    }

    /** Splits and renames an original state dict. Fails if two original keys map to one HF key. */
    public static Result rename(Map<String, RawTensor> original) {
        Map<String, RawTensor> model = new LinkedHashMap<>();
        Map<String, RawTensor> training = new LinkedHashMap<>();
        Map<String, KeyKind> dropped = new LinkedHashMap<>();
        Map<String, String> origin = new java.util.HashMap<>();
        for (Map.Entry<String, RawTensor> e : original.entrySet()) {
            String key = e.getKey();
            KeyKind kind = classify(key);
            if (kind != KeyKind.MODEL) {
                dropped.put(key, kind);
            }
            Map<String, RawTensor> target = switch (kind) {
                case MODEL -> model;
                case MOMENTUM, QUEUE -> training;
                case BUFFER -> null;
            };
            if (target == null) {
                continue;
            }
            String name = kind == KeyKind.MODEL ? toHf(key) : toHfTraining(key);
            String clash = origin.put(name, key);
            if (clash != null) {
                throw new IllegalArgumentException("original keys '" + clash + "' and '" + key
                        + "' both map to '" + name + "'");
            }
            target.put(name, e.getValue());
        }
        return new Result(Collections.unmodifiableMap(model), Collections.unmodifiableMap(training),
                Collections.unmodifiableMap(dropped));
    }

    public static KeyKind classify(String originalKey) {
        if (originalKey.endsWith(".position_ids") || originalKey.equals("position_ids")) {
            return KeyKind.BUFFER;
        }
        if (QUEUES.contains(originalKey)) {
            return KeyKind.QUEUE;
        }
        for (String p : MOMENTUM_PREFIXES) {
            if (originalKey.startsWith(p)) {
                return KeyKind.MOMENTUM;
            }
        }
        return KeyKind.MODEL;
    }

    /** The HF name of an original model key (the HF converter's substitutions). */
    public static String toHf(String originalKey) {
        String key = originalKey;
        for (String[] r : RULES) {
            key = key.replace(r[0], r[1]);
        }
        return key;
    }

    /** Like {@link #toHf} but also names momentum keys ({@code _m} on the first component) and keeps queues. */
    public static String toHfTraining(String originalKey) {
        for (String p : MOMENTUM_PREFIXES) {
            if (originalKey.startsWith(p)) {
                String online = p.substring(0, p.length() - 3) + "." + originalKey.substring(p.length());
                String hf = toHf(online);
                int dot = hf.indexOf('.');
                return hf.substring(0, dot) + "_m" + hf.substring(dot);
            }
        }
        return toHf(originalKey);
    }

    /** The original name of an HF key (inverse of {@link #toHf} and of {@link #toHfTraining} for momentum keys). */
    public static String toOriginal(String hfKey) {
        int dot = hfKey.indexOf('.');
        if (dot > 2 && hfKey.substring(0, dot).endsWith("_m")) {
            String online = toOriginal(hfKey.substring(0, dot - 2) + hfKey.substring(dot));
            int d = online.indexOf('.');
            return online.substring(0, d) + "_m" + online.substring(d);
        }
        if (!hfKey.startsWith("vision_model.")) {
            return hfKey;
        }
        String key = hfKey;
        for (String[] r : INVERSE) {
            key = key.replace(r[0], r[1]);
        }
        return key;
    }
}
