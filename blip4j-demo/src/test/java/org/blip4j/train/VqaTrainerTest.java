package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.blip4j.model.BlipModelLoader;
import org.blip4j.demo.ShapesModel;
import org.blip4j.synth.SynthOptions;
import org.blip4j.synth.SynthTokenizer;
import org.blip4j.synth.SyntheticWorld;
import org.blip4j.task.Blip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VQA through the trainer: exact resume (dropout and drop path on) and a model that reloads in the VQA layout. */
class VqaTrainerTest {
    @TempDir
    Path tmp;

    @Test
    void resumeContinuesExactlyAndTheModelReloadsForVqa() throws Exception {
        Path world = tmp.resolve("world");
        SyntheticWorld.generate(SynthOptions.defaults(world).withSize(20).withSeed(5).withImageSize(32)
                .withSplitSizes(20, 20).withThreads(1));
        SynthTokenizer.write(world);
        ShapesModel.writeFor(world.resolve("shapes_model.json"), 32, world.resolve("tokenizer"));
        List<String> common = List.of("tokenizer=tokenizer", "train_file=vqa_train.json", "image_root=.",
                "model_config=shapes_model.json", "image_size=32", "batch_size_train=4", "grad_accum_steps=2",
                "init_lr=1e-3",
                "num_workers=1", "save_every_steps=0", "randaugment=false", "dropout=0.1", "drop_path_rate=0.1");
        TrainConfig full = TrainConfig.load("vqa").with(common).with(List.of("max_steps=6"));
        TrainConfig part = TrainConfig.load("vqa").with(common).with(List.of("max_steps=4"));
        TrainerTest.train(full, TrainingTask.VQA, tmp.resolve("full"), false, world);
        TrainerTest.train(part, TrainingTask.VQA, tmp.resolve("split"), false, world);
        Trainer.Result r = TrainerTest.train(full, TrainingTask.VQA, tmp.resolve("split"), true, world);
        List<JsonNode> a = TrainerTest.metrics(tmp.resolve("full"));
        List<JsonNode> b = TrainerTest.metrics(tmp.resolve("split"));
        assertEquals(6, b.size());
        for (int i = 0; i < 6; i++) {
            for (String k : new String[] {"loss_vqa", "lr"}) {
                assertEquals(a.get(i).get(k).asDouble(), b.get(i).get(k).asDouble(), 1e-5, "step " + (i + 1) + " "
                        + k);
            }
        }
        try (Blip blip = Blip.load(r.modelDir().toString())) {
            assertTrue(BlipModelLoader.isVqaLayout(blip.model().parts()), "saved model has the VQA layout");
            assertEquals(blip.model().config().text().hiddenSize(), blip.model().decoderCrossWidth());
        }
    }
}
