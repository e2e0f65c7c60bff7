package org.blip4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.checkpoint.BlipConfigInference;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.engine.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full-size random NLVR2 model with the key layout of the released {@code model_base_nlvr.pth} (ViT-B/16 at 384,
 * BERT-base with a twin cross-attention in all 12 layers, {@code merge_layer} in layers 6–11, ViT keys as HF names
 * them) loads, runs, saves and reloads; {@code convert}'s config inference recognises it from its keys. One model
 * lives at a time (about 1 GB of float32).
 */
class NlvrBaseSizeTest {
    @TempDir
    Path tmp;

    /** The released layout, written out from models/blip_nlvr.py + nlvr_encoder.py independently of the model code. */
    static Map<String, long[]> expectedLayout() {
        Map<String, long[]> m = new LinkedHashMap<>(BaseSizeCheckpointTest.expectedVision());
        String t = "text_encoder.";
        m.put(t + "embeddings.word_embeddings.weight", new long[] {30524, 768});
        m.put(t + "embeddings.position_embeddings.weight", new long[] {512, 768});
        m.put(t + "embeddings.LayerNorm.weight", new long[] {768});
        m.put(t + "embeddings.LayerNorm.bias", new long[] {768});
        for (int i = 0; i < 12; i++) {
            String p = t + "encoder.layer." + i + ".";
            for (String s : new String[] {"attention.self.", "crossattention.self0.", "crossattention.self1."}) {
                for (String w : new String[] {"query", "key", "value"}) {
                    m.put(p + s + w + ".weight", new long[] {768, 768});
                    m.put(p + s + w + ".bias", new long[] {768});
                }
            }
            for (String d : new String[] {"attention.output.dense", "crossattention.output.dense0",
                "crossattention.output.dense1"}) {
                m.put(p + d + ".weight", new long[] {768, 768});
                m.put(p + d + ".bias", new long[] {768});
            }
            if (i >= 6) {
                m.put(p + "crossattention.output.merge_layer.weight", new long[] {768, 1536});
                m.put(p + "crossattention.output.merge_layer.bias", new long[] {768});
            }
            for (String ln : new String[] {"attention.output.LayerNorm", "crossattention.output.LayerNorm",
                "output.LayerNorm"}) {
                m.put(p + ln + ".weight", new long[] {768});
                m.put(p + ln + ".bias", new long[] {768});
            }
            m.put(p + "intermediate.dense.weight", new long[] {3072, 768});
            m.put(p + "intermediate.dense.bias", new long[] {3072});
            m.put(p + "output.dense.weight", new long[] {768, 3072});
            m.put(p + "output.dense.bias", new long[] {768});
        }
        m.put("cls_head.0.weight", new long[] {768, 768});
        m.put("cls_head.0.bias", new long[] {768});
        m.put("cls_head.2.weight", new long[] {2, 768});
        m.put("cls_head.2.bias", new long[] {2});
        return m;
    }

    @Test
    void releasedLayoutLoadsRunsSavesAndReloads() throws Exception {
        BlipConfig blip = ModelPresets.base(384, 30524);
        NlvrConfig cfg = new NlvrConfig(blip, NlvrConfig.RELEASED_MERGE_LAYER_START, 768);
        Path dir = tmp.resolve("nlvr-base");
        Map<String, RawTensor> saved;
        try (NDManager m = Engines.newManager(Engines.device("cpu")); NlvrModel model = new NlvrModel(cfg, m)) {
            ModelInitializer.initialize(model.parameters(), m, 0.02, 11);
            Map<String, RawTensor> tensors = BlipModelSaver.tensors(model.parameters(), false);
            BaseSizeCheckpointTest.assertLayout(expectedLayout(), tensors);
            var inferred = BlipConfigInference.infer(tensors, BlipConfigInference.Hints.none());
            assertEquals(List.of("BlipForNlvr"), List.of(inferred.path("architectures").get(0).asText()));
            assertEquals(6, inferred.path("text_config").path("nlvr_merge_layer_start").asInt());
            assertEquals(768, inferred.path("text_config").path("encoder_hidden_size").asInt());
            logits(model);
            NlvrModelFiles.save(model, dir);
            saved = tensors;
        }
        try (NDManager m = Engines.newManager(Engines.device("cpu")); NlvrModel loaded = NlvrModelFiles.load(dir, m)) {
            assertEquals(6, loaded.config().mergeLayerStart());
            // the same tensors bit for bit, hence the same outputs (one forward pass of ViT-B at 384 is enough)
            Map<String, RawTensor> reloaded = BlipModelSaver.tensors(loaded.parameters(), false);
            assertEquals(saved.keySet(), reloaded.keySet());
            saved.forEach((k, v) -> assertEquals(v.data().duplicate(), reloaded.get(k).data().duplicate(), k));
        }
    }

    static float[] logits(NlvrModel model) {
        try (NDManager s = model.manager().newSubManager()) {
            s.getEngine().setRandomSeed(5);
            NDArray p0 = s.randomNormal(new Shape(1, 3, 384, 384));
            NDArray p1 = s.randomNormal(new Shape(1, 3, 384, 384));
            NDArray ids = s.create(new long[] {30523, 1996, 2157, 3746, 102}, new Shape(1, 5));
            NDArray out = model.logits(ids, s.ones(new Shape(1, 5)), p0, p1, false);
            assertEquals(new Shape(1, 2), out.getShape());
            return out.toFloatArray();
        }
    }
}
