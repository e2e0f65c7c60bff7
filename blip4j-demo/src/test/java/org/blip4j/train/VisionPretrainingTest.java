package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.blip4j.checkpoint.HfModelDirectory;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.engine.Engines;
import org.blip4j.model.CheckpointMismatchException;
import org.blip4j.nn.Parameter;
import org.blip4j.synth.SyntheticWorld;
import org.blip4j.train.vision.VisionLabels;
import org.blip4j.train.vision.VisionPretrainOptions;
import org.blip4j.train.vision.VisionPretrainResult;
import org.blip4j.train.vision.VisionPretrainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image-encoder pre-training on the world's vision split, and BLIP pre-training starting from its output. */
class VisionPretrainingTest {
    @TempDir
    static Path tmp;
    static TinyWorld world;
    static Path run;
    static VisionPretrainResult result;

    @BeforeAll
    static void pretrainEncoder() throws IOException {
        world = new TinyWorld(tmp.resolve("world"), 30, 5, 240);
        run = tmp.resolve("vision");
        VisionPretrainOptions o = VisionPretrainOptions.defaults()
                .withModel(world.dir.resolve("shapes_model.json").toString(), 64).withSteps(300, 16)
                .withLr(1e-3, 20).withHeldOut(40).withSeed(3);
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            result = VisionPretrainer.run(o, world.dir.resolve(SyntheticWorld.VISION_LABELS), world.dir, run, m,
                    TrainingListener.NONE);
        }
    }

    @Test
    void learnsTheWorldsAttributesOnHeldOutImages() throws IOException {
        assertEquals(200, result.trainImages());
        assertEquals(40, result.heldOutImages());
        assertEquals(0, result.skippedImages());
        // 7 colours: chance is 14%; colour is the first thing the encoder learns
        assertTrue(result.heldOutAccuracy().get("object colour") >= 0.5, result.heldOutAccuracy().toString());
        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            losses.add(new ObjectMapper().readTree(line).get("loss").asDouble());
        }
        assertEquals(300, losses.size());
        double first = losses.subList(0, 30).stream().mapToDouble(d -> d).average().orElseThrow();
        double last = losses.subList(270, 300).stream().mapToDouble(d -> d).average().orElseThrow();
        assertTrue(last < 0.7 * first, "loss " + first + " → " + last);
        assertTrue(Files.isRegularFile(run.resolve("loss.png")));
    }

    @Test
    void savesAVisionOnlyModelAndARerunReturnsTheFinishedResult() throws IOException {
        Map<String, RawTensor> w = HfModelDirectory.open(result.model()).loadWeights();
        assertTrue(w.keySet().stream().allMatch(k -> k.startsWith("vision_model.")), w.keySet().toString());
        long before = Files.getLastModifiedTime(run.resolve("metrics.jsonl")).toMillis();
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            VisionPretrainResult again = VisionPretrainer.run(VisionPretrainOptions.defaults(), Path.of("absent.json"),
                    world.dir, run, m, TrainingListener.NONE);
            assertEquals(result.heldOutAccuracy(), again.heldOutAccuracy());
        }
        assertEquals(before, Files.getLastModifiedTime(run.resolve("metrics.jsonl")).toMillis());
    }

    @Test
    void pretrainingStartsFromTheEncoderAndTheRestFresh() throws IOException {
        Map<String, RawTensor> saved = HfModelDirectory.open(result.model()).loadWeights();
        TrainConfig cfg = world.config("pretrain", "model_config=shapes_model.json",
                "init_vision_from=" + result.model());
        try (NDManager m = Engines.newManager(Engines.device("cpu"));
                TrainingModel tm = TrainingModel.create(cfg, TrainingTask.PRETRAIN, world.dir, m,
                        TrainingListener.NONE)) {
            int checked = 0;
            for (Parameter p : tm.online().parameters().parameters().values()) {
                if (p.name().startsWith("vision_model.")) {
                    assertArrayEquals(saved.get(p.name()).toFloats(), p.array().toFloatArray(), p.name());
                    checked++;
                }
            }
            assertEquals(saved.size(), checked);
            assertTrue(tm.online().parameters().parameters().keySet().stream()
                    .anyMatch(k -> k.startsWith("text_encoder.")));
        }
    }

    @Test
    void aFrozenEncoderStaysAsLoadedWhileTheRestTrains() throws IOException {
        Map<String, RawTensor> saved = HfModelDirectory.open(result.model()).loadWeights();
        TrainConfig cfg = world.config("pretrain", "model_config=shapes_model.json",
                "init_vision_from=" + result.model(), "freeze_vision=true", "train_file=[web.json]", "max_steps=3",
                "init_lr=1e-3");
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            Trainer.Result r = Trainer.run(cfg, TrainingTask.PRETRAIN, tmp.resolve("frozen"), false, world.dir, m,
                    TrainingListener.NONE);
            Map<String, RawTensor> after = HfModelDirectory.open(r.modelDir()).loadWeights();
            for (Map.Entry<String, RawTensor> e : saved.entrySet()) {
                assertArrayEquals(e.getValue().toFloats(), after.get(e.getKey()).toFloats(), e.getKey());
            }
            try (TrainingModel before = TrainingModel.create(cfg, TrainingTask.PRETRAIN, world.dir, m,
                    TrainingListener.NONE)) {
                String key = "text_encoder.encoder.layer.0.attention.self.query.weight";
                // the text side trained: it moved away from the same run's initial weights
                assertEquals(0, before.trainable().stream().filter(p -> p.name().startsWith("vision_model."))
                        .count());
                assertTrue(!java.util.Arrays.equals(before.online().parameters().get(key).array().toFloatArray(),
                        after.get(key).toFloats()), key);
            }
        }
    }

    @Test
    void anEncoderOfAnotherShapeOrTwoInitialisationsAreRefused() {
        // TinyWorld's model_config.json has 16 px patches, the encoder 8 px ones
        TrainConfig other = pretrainConfig("init_vision_from=" + result.model());
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                    () -> TrainingModel.create(other, TrainingTask.PRETRAIN, world.dir, m, TrainingListener.NONE));
            assertTrue(e.getMessage().contains("vision_model.embeddings.patch_embedding.weight"), e.getMessage());
            TrainConfig both = pretrainConfig("init_vision_from=" + result.model(),
                    "init_from=" + result.model());
            IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                    () -> TrainingModel.create(both, TrainingTask.PRETRAIN, world.dir, m, TrainingListener.NONE));
            assertTrue(b.getMessage().contains("init_vision_from"), b.getMessage());
        }
    }

    private static TrainConfig pretrainConfig(String... sets) {
        try {
            return world.config("pretrain", sets);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badLabelFilesNameTheRecordAndField() throws IOException {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, "[{\"image\": \"a.png\", \"objects\": [{\"x\": 1.5, \"y\": 0.2, \"labels\": "
                + "{\"shape\": \"star\"}}]}]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VisionLabels.read(f));
        assertTrue(e.getMessage().contains("record 0 object 0") && e.getMessage().contains("\"x\""), e.getMessage());
        Files.writeString(f, "[{\"image\": \"a.png\", \"objects\": [{\"x\": 0.5, \"y\": 0.2, \"labels\": "
                + "{\"shape\": \"star\"}}]}, {\"image\": \"b.png\", \"objects\": [{\"x\": 0.5, \"y\": 0.2, "
                + "\"labels\": {\"colour\": \"red\"}}]}]");
        e = assertThrows(IllegalArgumentException.class, () -> VisionLabels.read(f));
        assertTrue(e.getMessage().contains("record 1 object 0"), e.getMessage());
        Files.writeString(f, "[{\"objects\": []}]");
        e = assertThrows(IllegalArgumentException.class, () -> VisionLabels.read(f));
        assertTrue(e.getMessage().contains("record 0") && e.getMessage().contains("\"image\""), e.getMessage());
    }

    @Test
    void theWorldsLabelFileReadsBackWithItsGroups() throws IOException {
        JsonNode labels = new ObjectMapper().readTree(world.dir.resolve(SyntheticWorld.VISION_LABELS).toFile());
        assertEquals(240, labels.size());
        VisionLabels read = VisionLabels.read(world.dir.resolve(SyntheticWorld.VISION_LABELS));
        assertEquals(List.of("colour", "shape", "size"), read.objectGroups().names());
        for (JsonNode r : labels) {
            assertTrue(Files.isRegularFile(world.dir.resolve(r.get("image").asText())));
            assertEquals(r.get("objects").size(), r.get("labels").get("shape").size());
        }
    }
}
