package org.blip4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.ModelInitializer;
import org.blip4j.model.NlvrConfig;
import org.blip4j.model.NlvrModel;
import org.blip4j.util.MemoryStats;

/**
 * NLVR2 inference throughput on random weights: pairs/s of the whole forward (ViT on both images, twin
 * cross-attention text encoder, cls_head), sentences of 35 tokens, merge layers from 6 as the released model.
 */
public final class NlvrBenchmark {
    private NlvrBenchmark() {
    }

    public static Map<String, Double> run(BlipConfig config, int batch, int runs, NDManager manager) {
        Map<String, Double> out = new LinkedHashMap<>();
        NlvrConfig cfg = new NlvrConfig(config, Math.min(NlvrConfig.RELEASED_MERGE_LAYER_START,
                config.text().numHiddenLayers()), config.text().hiddenSize());
        try (NlvrModel model = new NlvrModel(cfg, manager); NDManager m = manager.newSubManager()) {
            ModelInitializer.initialize(model.parameters(), manager, 0.02, 1);
            int s = config.vision().imageSize();
            NDArray p0 = m.randomNormal(new Shape(batch, 3, s, s));
            NDArray p1 = m.randomNormal(new Shape(batch, 3, s, s));
            NDArray ids = m.randomInteger(1000, 2000, new Shape(batch, 35), DataType.INT64);
            NDArray mask = m.ones(new Shape(batch, 35), DataType.INT64);
            double all = Timing.medianSeconds(() -> {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    model.logits(ids, mask, p0, p1, false).toFloatArray();
                }
            }, 1, runs);
            out.put("nlvr_pairs_per_s", batch / all);
            NDArray e0 = model.imageEmbeds(p0, false);
            NDArray e1 = model.imageEmbeds(p1, false);
            double text = Timing.medianSeconds(() -> {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    model.logitsFromEmbeds(ids, mask, e0, e1, false).toFloatArray();
                }
            }, 1, runs);
            out.put("text_encoder_and_head_pairs_per_s", batch / text);
        }
        out.put("peak_rss_mib", MemoryStats.peakRssMiB());
        return out;
    }
}
