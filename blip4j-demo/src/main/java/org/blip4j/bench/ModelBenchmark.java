package org.blip4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipModel;
import org.blip4j.model.ModelInitializer;
import org.blip4j.model.Part;
import org.blip4j.ort.OrtEngine;
import org.blip4j.util.MemoryStats;

/**
 * Inference throughput of the core model on random weights: vision encoder images/s and ITM pairs/s (image-
 * grounded encoder on cached image embeddings + ITM head, text length 35 as BLIP's retrieval evaluation).
 */
public final class ModelBenchmark {
    private ModelBenchmark() {
    }

    public static Map<String, Double> run(BlipConfig config, int batch, int runs, NDManager manager) {
        Map<String, Double> out = new LinkedHashMap<>();
        EnumSet<Part> parts = EnumSet.of(Part.VISION, Part.TEXT_ENCODER, Part.VISION_PROJ, Part.TEXT_PROJ,
                Part.ITM_HEAD);
        try (BlipModel model = ModelInitializer.create(config, parts, config.text().encoderHiddenSize(), manager, 1);
             NDManager m = manager.newSubManager()) {
            OrtEngine.attachAsConfigured(model, manager.getDevice()); // as Blip.load does for inference
            int s = config.vision().imageSize();
            NDArray pixels = m.randomNormal(new Shape(batch, 3, s, s));
            double vision = Timing.medianSeconds(() -> {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    model.imageEmbeds(pixels, false).toFloatArray();
                }
            }, 1, runs);
            out.put("vision_images_per_s", batch / vision);
            NDArray embeds = model.imageEmbeds(pixels, false);
            NDArray ids = m.randomInteger(1000, 2000, new Shape(batch, 35), DataType.INT64);
            NDArray mask = m.ones(new Shape(batch, 35), DataType.INT64);
            double itm = Timing.medianSeconds(() -> {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    model.itmLogits(ids, mask, embeds, false).toFloatArray();
                }
            }, 1, runs);
            out.put("itm_pairs_per_s", batch / itm);
            // retrieval re-ranking shape: one image against many texts shares its cross-attention keys/values
            NDArray one = embeds.get("0:1");
            double shared = Timing.medianSeconds(() -> {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    model.itmLogits(ids, mask, one, false).toFloatArray();
                }
            }, 1, runs);
            out.put("itm_pairs_per_s_one_image_many_texts", batch / shared);
        }
        out.put("peak_rss_mib", MemoryStats.peakRssMiB());
        return out;
    }
}
