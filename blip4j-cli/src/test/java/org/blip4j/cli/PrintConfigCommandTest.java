package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --print-config}: one JSON object of resolved keys with their sources plus the model, printed without
 * reading data, tokenizer, checkpoint or network (the paths and URL below do not exist).
 */
class PrintConfigCommandTest {
    @TempDir
    Path tmp;

    @Test
    void printsEachKeyWithItsSourceAndTheModel() throws Exception {
        Path cfg = tmp.resolve("retrieval_coco.yaml");
        Files.writeString(cfg, """
                image_root: '/nowhere/coco/images/'
                ann_root: 'annotation'
                dataset: 'coco'
                pretrained: 'https://storage.googleapis.com/sfr-vision-language-research/BLIP/models/x.pth'
                vit: 'base'
                batch_size_train: 32
                batch_size_test: 64
                vit_grad_ckpt: True
                vit_ckpt_layer: 4
                image_size: 384
                k_test: 256
                negative_all_rank: True
                """);
        var r = CliRunner.run("finetune", "retrieval", "--config", cfg.toString(), "--set", "vit=large",
                "--set", "vit_ckpt_layer=12", "--print-config");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("file", j.get("vit_grad_ckpt").get("source").asText());
        assertTrue(j.get("vit_grad_ckpt").get("value").asBoolean());
        assertEquals(12, j.get("vit_ckpt_layer").get("value").asInt());
        assertEquals("set", j.get("vit_ckpt_layer").get("source").asText());
        assertEquals(256, j.get("k_test").get("value").asInt());
        assertEquals("preset", j.get("weight_decay").get("source").asText());
        assertTrue(j.get("pretrained").get("value").asText().startsWith("https://"));
        assertEquals(1024, j.get("model").get("vision_config").get("hidden_size").asInt());
        assertEquals(24, j.get("model").get("vision_config").get("num_hidden_layers").asInt());
        assertTrue(j.get("model").has("text_config"));
        assertFalse(Files.exists(Path.of("/nowhere")));
    }

    @Test
    void anUnknownKeyFailsNamingIt() {
        var r = CliRunner.run("pretrain", "--config", "pretrain", "--set", "batch_sise=75", "--print-config");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("'batch_sise'") && r.err().contains("did you mean batch_size"), r.err());
        r = CliRunner.run("pretrain", "--config", "pretrain", "--set", "prompt=a photo of", "--print-config");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("'prompt' belongs to caption"), r.err());
    }
}
