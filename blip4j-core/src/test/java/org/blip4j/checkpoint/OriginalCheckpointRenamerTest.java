package org.blip4j.checkpoint;

import static org.blip4j.checkpoint.OriginalCheckpointRenamer.KeyKind.BUFFER;
import static org.blip4j.checkpoint.OriginalCheckpointRenamer.KeyKind.MOMENTUM;
import static org.blip4j.checkpoint.OriginalCheckpointRenamer.KeyKind.QUEUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.Test;

class OriginalCheckpointRenamerTest {

    @Test
    void visionRulesMatchTheHfConverter() {
        Map<String, String> cases = Map.of(
                "visual_encoder.cls_token", "vision_model.embeddings.class_embedding",
                "visual_encoder.pos_embed", "vision_model.embeddings.position_embedding",
                "visual_encoder.patch_embed.proj.weight", "vision_model.embeddings.patch_embedding.weight",
                "visual_encoder.blocks.11.attn.qkv.bias", "vision_model.encoder.layers.11.self_attn.qkv.bias",
                "visual_encoder.blocks.0.attn.proj.weight", "vision_model.encoder.layers.0.self_attn.projection.weight",
                "visual_encoder.blocks.3.norm1.weight", "vision_model.encoder.layers.3.layer_norm1.weight",
                "visual_encoder.blocks.3.norm2.bias", "vision_model.encoder.layers.3.layer_norm2.bias",
                "visual_encoder.blocks.3.mlp.fc1.weight", "vision_model.encoder.layers.3.mlp.fc1.weight",
                "visual_encoder.norm.weight", "vision_model.post_layernorm.weight");
        cases.forEach((orig, hf) -> {
            assertEquals(hf, OriginalCheckpointRenamer.toHf(orig), orig);
            assertEquals(orig, OriginalCheckpointRenamer.toOriginal(hf), hf);
        });
        for (String unchanged : new String[] {"text_encoder.encoder.layer.0.crossattention.self.key.weight",
                "text_decoder.cls.predictions.decoder.weight", "itm_head.bias", "vision_proj.weight", "temp"}) {
            assertEquals(unchanged, OriginalCheckpointRenamer.toHf(unchanged));
            assertEquals(unchanged, OriginalCheckpointRenamer.toOriginal(unchanged));
        }
    }

    @Test
    void classifiesAndRenamesTinyAOriginal() throws IOException {
        Map<String, RawTensor> original = TorchCheckpointReader.readStateDict(Fixtures.tinyAModel().resolve("original.pth"));
        OriginalCheckpointRenamer.Result r = OriginalCheckpointRenamer.rename(original);

        assertEquals(Set.of("image_queue", "text_queue", "idx_queue", "ptr_queue"), r.droppedKeys(QUEUE));
        assertTrue(r.droppedKeys(BUFFER).containsAll(Set.of("text_encoder.embeddings.position_ids",
                "text_decoder.bert.embeddings.position_ids", "text_encoder_m.embeddings.position_ids")));
        assertTrue(r.droppedKeys(BUFFER).stream().allMatch(k -> k.endsWith(".position_ids")));
        assertTrue(r.droppedKeys(MOMENTUM).stream().allMatch(k -> k.startsWith("visual_encoder_m.")
                || k.startsWith("text_encoder_m.") || k.startsWith("vision_proj_m.") || k.startsWith("text_proj_m.")));
        assertEquals(original.size(), r.model().size() + r.dropped().size());
        assertEquals(r.droppedKeys(MOMENTUM).size() + r.droppedKeys(QUEUE).size(), r.trainingState().size());

        // momentum tensors under the documented names, same data as the online ones in this fixture
        assertSame(original.get("visual_encoder_m.blocks.1.attn.proj.weight"),
                r.trainingState().get("vision_model_m.encoder.layers.1.self_attn.projection.weight"));
        assertSame(original.get("text_encoder_m.encoder.layer.0.attention.self.query.weight"),
                r.trainingState().get("text_encoder_m.encoder.layer.0.attention.self.query.weight"));
        assertSame(original.get("vision_proj_m.weight"), r.trainingState().get("vision_proj_m.weight"));
        assertSame(original.get("image_queue"), r.trainingState().get("image_queue"));

        // inverse mapping round-trips every key
        r.model().keySet().forEach(hf -> assertTrue(original.containsKey(OriginalCheckpointRenamer.toOriginal(hf)), hf));
        r.trainingState().keySet().forEach(hf ->
                assertTrue(original.containsKey(OriginalCheckpointRenamer.toOriginal(hf)), hf));
    }

    @Test
    void clashingKeysAreRejected() {
        Map<String, RawTensor> m = new LinkedHashMap<>();
        RawTensor t = RawTensor.ofFloats(new float[] {1}, 1);
        m.put("visual_encoder.norm.weight", t);
        m.put("vision_model.post_layernorm.weight", t);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OriginalCheckpointRenamer.rename(m));
        assertTrue(e.getMessage().contains("visual_encoder.norm.weight"));
    }
}
