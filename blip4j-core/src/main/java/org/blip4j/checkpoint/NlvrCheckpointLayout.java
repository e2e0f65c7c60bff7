package org.blip4j.checkpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What tells an NLVR2 checkpoint (orig {@code models/blip_nlvr.py}) apart, read from its keys: the classifier
 * {@code cls_head.*} and the twin cross-attention {@code crossattention.self0/self1}; which text layers merge their
 * two image branches is the set of layers carrying {@code crossattention.output.merge_layer} weights.
 */
public final class NlvrCheckpointLayout {
    /** Key of the classifier's first Linear, present only in NLVR2 checkpoints. */
    public static final String CLS_HEAD_WEIGHT = "cls_head.0.weight";
    private static final Pattern MERGE = Pattern.compile(
            "^text_encoder\\.encoder\\.layer\\.(\\d+)\\.crossattention\\.output\\.merge_layer\\.weight$");
    private static final Pattern TEXT_LAYER = Pattern.compile("^text_encoder\\.encoder\\.layer\\.(\\d+)\\.");

    private NlvrCheckpointLayout() {
    }

    /** An NLVR2 state dict (HF or original names): a classifier head and twin cross-attention. */
    public static boolean isNlvr(Set<String> keys) {
        return keys.contains(CLS_HEAD_WEIGHT)
                && keys.contains(CheckpointKeys.crossAttentionKey(CheckpointKeys.TEXT_ENCODER, 0, "self0"));
    }

    /**
     * The first text layer that merges ({@code nlvr_merge_layer_start}): the layers with {@code merge_layer}
     * weights must be exactly {@code start .. layers-1} (the official rule {@code layer_num >= 6} gives a suffix);
     * {@code layers} when no layer merges.
     */
    public static int mergeLayerStart(Set<String> keys) {
        TreeSet<Integer> merging = new TreeSet<>();
        int layers = 0;
        for (String k : keys) {
            Matcher m = MERGE.matcher(k);
            if (m.find()) {
                merging.add(Integer.parseInt(m.group(1)));
            }
            Matcher l = TEXT_LAYER.matcher(k);
            if (l.find()) {
                layers = Math.max(layers, Integer.parseInt(l.group(1)) + 1);
            }
        }
        if (merging.isEmpty()) {
            return layers;
        }
        int start = merging.first();
        if (merging.last() != layers - 1 || merging.size() != layers - start) {
            throw new IllegalArgumentException("text layers " + merging + " carry crossattention.output.merge_layer"
                    + " weights; an NLVR2 model merges in a contiguous run of layers up to the last (" + (layers - 1)
                    + ")");
        }
        return start;
    }

    /**
     * A pre-trained BLIP text encoder's weights renamed for NLVR2 fine-tuning, as orig
     * {@code blip_nlvr.py:load_checkpoint} does: {@code crossattention.self.*} is copied to {@code self0.*} and
     * {@code self1.*}, {@code crossattention.output.dense.*} to {@code dense0.*} and {@code dense1.*}; every other
     * key is kept. {@code merge_layer} and {@code cls_head} are not in a pre-trained model and stay as initialised.
     */
    public static Map<String, RawTensor> fromPretrained(Map<String, RawTensor> pretrained) {
        Map<String, RawTensor> out = new LinkedHashMap<>();
        pretrained.forEach((k, v) -> {
            if (k.contains("crossattention.self.")) {
                out.put(k.replace("crossattention.self.", "crossattention.self0."), v);
                out.put(k.replace("crossattention.self.", "crossattention.self1."), v);
            } else if (k.contains("crossattention.output.dense.")) {
                out.put(k.replace("crossattention.output.dense.", "crossattention.output.dense0."), v);
                out.put(k.replace("crossattention.output.dense.", "crossattention.output.dense1."), v);
            } else {
                out.put(k, v);
            }
        });
        return out;
    }
}
