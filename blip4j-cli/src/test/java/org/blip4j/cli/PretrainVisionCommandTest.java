package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.blip4j.demo.ShapesModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code blip synth --vision-size} → {@code blip pretrain-vision} → an encoder that {@code pretrain} can start from. */
class PretrainVisionCommandTest {
    @TempDir
    Path tmp;

    @Test
    void trainsTheImageEncoderOnTheWorldsVisionSplit() throws Exception {
        Path world = tmp.resolve("w");
        var s = CliRunner.run("synth", "--out", world.toString(), "--size", "12", "--image-size", "64",
                "--vision-size", "40", "--threads", "1");
        assertEquals(0, s.exit(), s.err());
        Path run = tmp.resolve("run");
        Path model = ShapesModel.writeFor(tmp.resolve("shapes_model.json"), 64, world.resolve("tokenizer"));
        var r = CliRunner.run("pretrain-vision", "--data", world.resolve("vision_labels.json").toString(), "--out",
                run.toString(), "--model-config", model.toString(), "--image-size", "64", "--steps", "12",
                "--batch", "4", "--warmup", "2", "--held-out", "8", "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("held-out accuracy"), r.err());
        JsonNode summary = new ObjectMapper().readTree(run.resolve("vision_pretrain.json").toFile());
        assertEquals(32, summary.get("train_images").asInt());
        assertEquals(8, summary.get("held_out_images").asInt());
        assertTrue(summary.get("held_out_accuracy").has("object shape"), summary.toString());
        assertTrue(Files.isRegularFile(run.resolve("model/model.safetensors")));
        assertTrue(Files.isRegularFile(run.resolve("model/config.json")));
    }

    @Test
    void aMissingLabelsFileExitsNonZeroNamingIt() {
        Path missing = tmp.resolve("nowhere/vision_labels.json");
        var r = CliRunner.run("pretrain-vision", "--data", missing.toString(), "--out", tmp.resolve("r").toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains(missing.toString()), r.err());
    }
}
