package org.blip4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.blip4j.generate.DecoderStepProvider;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.generate.Generator;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipModel;
import org.blip4j.model.ModelInitializer;
import org.blip4j.model.Part;
import org.blip4j.ort.OrtEngine;
import org.blip4j.util.MemoryStats;

/**
 * Captioning throughput on random weights: beam 3, prompt [DEC] a picture of, EOS suppressed so every caption has
 * exactly {@code newTokens} new tokens; end-to-end captions/s (vision + decoding) and decoding time with and
 * without the cross-attention cache.
 */
public final class CaptionBenchmark {
    private CaptionBenchmark() {
    }

    public static Map<String, Double> run(BlipConfig config, int batch, int beams, int newTokens, int runs,
            NDManager manager) {
        Map<String, Double> out = new LinkedHashMap<>();
        long[] prompt = {config.text().bosTokenId(), 1037, 3861, 1997};
        GenerationOptions o = GenerationOptions.beam(beams, prompt.length + newTokens, 0).withSuppressEos(true);
        int sep = config.text().sepTokenId();
        try (BlipModel model = ModelInitializer.create(config, EnumSet.of(Part.VISION, Part.TEXT_DECODER),
                config.vision().hiddenSize(), manager, 1);
             NDManager m = manager.newSubManager()) {
            OrtEngine.attachAsConfigured(model, manager.getDevice()); // as Blip.load does for inference
            int s = config.vision().imageSize();
            NDArray pixels = m.randomNormal(new Shape(batch, 3, s, s));
            NDArray embeds = model.imageEmbeds(pixels, false);
            for (boolean cache : new boolean[] {true, false}) {
                double t = Timing.medianSeconds(() -> decode(model, embeds, prompt, batch, beams, cache, o, sep), 1,
                        runs);
                out.put(cache ? "decode_s_with_cross_cache" : "decode_s_without_cross_cache", t);
            }
            double total = Timing.medianSeconds(() -> {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray e = model.imageEmbeds(pixels, false);
                    decode(model, e, prompt, batch, beams, true, o, sep);
                }
            }, 0, runs);
            out.put("captions_per_s", batch / total);
        }
        out.put("peak_rss_mib", MemoryStats.peakRssMiB());
        return out;
    }

    private static void decode(BlipModel model, NDArray embeds, long[] prompt, int batch, int beams, boolean cache,
            GenerationOptions o, int sep) {
        try (DecoderStepProvider.DecoderSession step = DecoderStepProvider.open(model, embeds, null, beams, cache)) {
            var hyps = Generator.generate(step, prompt, batch, sep, 0, o, null);
            if (hyps.get(0).get(0).tokens().length != o.maxLength()) {
                throw new IllegalStateException("expected exactly " + o.maxLength() + " tokens");
            }
        }
    }
}
