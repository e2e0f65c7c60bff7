package org.blip4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.checkpoint.Safetensors;
import org.blip4j.engine.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full-size random models with the keys and shapes of Salesforce/blip-image-captioning-base and
 * Salesforce/blip-itm-base-coco (ViT-B/16 at 384, BERT-base; key names in docs/MODEL.md) save, load and run.
 */
class BaseSizeCheckpointTest {
    @TempDir
    Path tmp;

    /**
     * The HF key layout written out from transformers' {@code convert_blip_original_pytorch_to_hf.py} renames
     * independently of the model code.
     */
    static Map<String, long[]> expectedVision() {
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put("vision_model.embeddings.class_embedding", new long[] {1, 1, 768});
        m.put("vision_model.embeddings.position_embedding", new long[] {1, 577, 768});
        m.put("vision_model.embeddings.patch_embedding.weight", new long[] {768, 3, 16, 16});
        m.put("vision_model.embeddings.patch_embedding.bias", new long[] {768});
        for (int i = 0; i < 12; i++) {
            String p = "vision_model.encoder.layers." + i + ".";
            for (String ln : new String[] {"layer_norm1", "layer_norm2"}) {
                m.put(p + ln + ".weight", new long[] {768});
                m.put(p + ln + ".bias", new long[] {768});
            }
            m.put(p + "self_attn.qkv.weight", new long[] {2304, 768});
            m.put(p + "self_attn.qkv.bias", new long[] {2304});
            m.put(p + "self_attn.projection.weight", new long[] {768, 768});
            m.put(p + "self_attn.projection.bias", new long[] {768});
            m.put(p + "mlp.fc1.weight", new long[] {3072, 768});
            m.put(p + "mlp.fc1.bias", new long[] {3072});
            m.put(p + "mlp.fc2.weight", new long[] {768, 3072});
            m.put(p + "mlp.fc2.bias", new long[] {768});
        }
        m.put("vision_model.post_layernorm.weight", new long[] {768});
        m.put("vision_model.post_layernorm.bias", new long[] {768});
        return m;
    }

    static Map<String, long[]> expectedText(String prefix, int crossWidth) {
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put(prefix + "embeddings.word_embeddings.weight", new long[] {30524, 768});
        m.put(prefix + "embeddings.position_embeddings.weight", new long[] {512, 768});
        m.put(prefix + "embeddings.LayerNorm.weight", new long[] {768});
        m.put(prefix + "embeddings.LayerNorm.bias", new long[] {768});
        for (int i = 0; i < 12; i++) {
            String p = prefix + "encoder.layer." + i + ".";
            for (String a : new String[] {"attention", "crossattention"}) {
                int in = a.equals("attention") ? 768 : crossWidth;
                m.put(p + a + ".self.query.weight", new long[] {768, 768});
                m.put(p + a + ".self.query.bias", new long[] {768});
                m.put(p + a + ".self.key.weight", new long[] {768, in});
                m.put(p + a + ".self.key.bias", new long[] {768});
                m.put(p + a + ".self.value.weight", new long[] {768, in});
                m.put(p + a + ".self.value.bias", new long[] {768});
                m.put(p + a + ".output.dense.weight", new long[] {768, 768});
                m.put(p + a + ".output.dense.bias", new long[] {768});
                m.put(p + a + ".output.LayerNorm.weight", new long[] {768});
                m.put(p + a + ".output.LayerNorm.bias", new long[] {768});
            }
            m.put(p + "intermediate.dense.weight", new long[] {3072, 768});
            m.put(p + "intermediate.dense.bias", new long[] {3072});
            m.put(p + "output.dense.weight", new long[] {768, 3072});
            m.put(p + "output.dense.bias", new long[] {768});
            m.put(p + "output.LayerNorm.weight", new long[] {768});
            m.put(p + "output.LayerNorm.bias", new long[] {768});
        }
        return m;
    }

    static Map<String, long[]> expectedCaptioning() {
        Map<String, long[]> m = expectedVision();
        m.putAll(expectedText("text_decoder.bert.", 768));
        m.put("text_decoder.cls.predictions.bias", new long[] {30524});
        m.put("text_decoder.cls.predictions.transform.dense.weight", new long[] {768, 768});
        m.put("text_decoder.cls.predictions.transform.dense.bias", new long[] {768});
        m.put("text_decoder.cls.predictions.transform.LayerNorm.weight", new long[] {768});
        m.put("text_decoder.cls.predictions.transform.LayerNorm.bias", new long[] {768});
        m.put("text_decoder.cls.predictions.decoder.weight", new long[] {30524, 768});
        m.put("text_decoder.cls.predictions.decoder.bias", new long[] {30524});
        return m;
    }

    static Map<String, long[]> expectedRetrieval() {
        Map<String, long[]> m = expectedVision();
        m.putAll(expectedText("text_encoder.", 768));
        m.put("vision_proj.weight", new long[] {256, 768});
        m.put("vision_proj.bias", new long[] {256});
        m.put("text_proj.weight", new long[] {256, 768});
        m.put("text_proj.bias", new long[] {256});
        m.put("itm_head.weight", new long[] {2, 768});
        m.put("itm_head.bias", new long[] {2});
        return m;
    }

    static void assertLayout(Map<String, long[]> expected, Map<String, RawTensor> actual) {
        TreeMap<String, String> e = new TreeMap<>();
        expected.forEach((k, v) -> e.put(k, java.util.Arrays.toString(v)));
        TreeMap<String, String> a = new TreeMap<>();
        actual.forEach((k, v) -> a.put(k, v.shapeString()));
        assertEquals(e, a);
    }

    void roundTrip(String arch, Set<Part> parts, Map<String, long[]> layout) throws Exception {
        BlipConfig cfg = BlipConfig.base().withArchitectures(List.of(arch));
        try (NDManager m = Engines.newManager(Engines.device("cpu"));
             BlipModel model = ModelInitializer.create(cfg, parts, 768, m, 7)) {
            Map<String, RawTensor> tensors = BlipModelSaver.tensors(model, true);
            assertLayout(layout, tensors);
            Path dir = tmp.resolve(arch);
            BlipModelSaver.save(model, dir);
            try (NDManager m2 = Engines.newManager(Engines.device("cpu"));
                 BlipModel loaded = BlipModelLoader.load(BlipConfigJson.read(dir.resolve("config.json")),
                         Safetensors.read(dir.resolve("model.safetensors")), m2, dir.toString())) {
                assertEquals(parts, loaded.parts());
                try (NDManager s = m.newSubManager()) {
                    NDArray pixels = s.randomNormal(new Shape(1, 3, 384, 384));
                    NDArray a = model.imageEmbeds(pixels, false);
                    NDArray b = loaded.imageEmbeds(pixels, false);
                    assertEquals(new Shape(1, 577, 768), b.getShape());
                    assertTrue(a.sub(b).abs().max().getFloat() == 0f, "reloaded vision output differs");
                    NDArray ids = s.create(new long[] {30522, 1037, 3861, 1997}, new Shape(1, 4));
                    if (parts.contains(Part.TEXT_DECODER)) {
                        NDArray la = model.decoderLogits(ids, null, a, null, null, false);
                        NDArray lb = loaded.decoderLogits(ids, null, b, null, null, false);
                        assertEquals(new Shape(1, 4, 30524), lb.getShape());
                        assertTrue(la.sub(lb).abs().max().getFloat() == 0f);
                    } else {
                        NDArray ia = model.itmLogits(ids, null, a, false);
                        NDArray ib = loaded.itmLogits(ids, null, b, false);
                        assertTrue(ia.sub(ib).abs().max().getFloat() == 0f);
                        assertEquals(new Shape(1, 256), loaded.textFeatures(ids, null, false).getShape());
                    }
                }
            }
            corruptedCheckpointNamesAllThree(cfg, tensors);
        }
    }

    void corruptedCheckpointNamesAllThree(BlipConfig cfg, Map<String, RawTensor> good) {
        Map<String, RawTensor> bad = new LinkedHashMap<>(good);
        String missing = "vision_model.encoder.layers.3.mlp.fc1.bias";
        String renamedFrom = "vision_model.encoder.layers.5.layer_norm2.weight";
        String renamedTo = "vision_model.encoder.layers.5.layernorm_2.weight";
        String misShaped = "vision_model.post_layernorm.bias";
        bad.remove(missing);
        bad.put(renamedTo, bad.remove(renamedFrom));
        bad.put(misShaped, RawTensor.ofFloats(new float[767], 767));
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                    () -> BlipModelLoader.load(cfg, bad, m, "bad.safetensors"));
            assertTrue(e.getMessage().contains(missing), e.getMessage());
            assertTrue(e.getMessage().contains(renamedFrom), e.getMessage());
            assertTrue(e.getMessage().contains(renamedTo), e.getMessage());
            assertTrue(e.getMessage().contains(misShaped + " expected (768) found (767)"), e.getMessage());
            assertEquals(List.of(missing + " (3072)", renamedFrom + " (768)"), e.missing());
        }
    }

    @Test
    void captioningBaseLayoutSavesLoadsAndRuns() throws Exception {
        roundTrip("BlipForConditionalGeneration", EnumSet.of(Part.VISION, Part.TEXT_DECODER), expectedCaptioning());
    }

    @Test
    void retrievalBaseLayoutSavesLoadsAndRuns() throws Exception {
        roundTrip("BlipForImageTextRetrieval",
                EnumSet.of(Part.VISION, Part.TEXT_ENCODER, Part.VISION_PROJ, Part.TEXT_PROJ, Part.ITM_HEAD),
                expectedRetrieval());
    }
}
