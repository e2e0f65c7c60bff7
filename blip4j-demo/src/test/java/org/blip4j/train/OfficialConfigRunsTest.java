package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Short runs of pre-training, captioning and VQA start from the unmodified original config files, with only data
 * paths and the model size overridden by --set, on a tiny synthetic world (retrieval: {@link PretrainedUrlTest}).
 * The data come in the official layout: ann_root/coco_karpathy_train.json, ann_root/vqa_train.json.
 */
class OfficialConfigRunsTest {
    @TempDir
    Path tmp;

    Path official(String name) throws IOException {
        Path p = tmp.resolve(name + ".yaml");
        try (InputStream in = getClass().getResourceAsStream("/official-configs/" + name + ".yaml")) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    static List<String> sets(String... more) {
        List<String> s = new ArrayList<>(List.of("tokenizer=tokenizer", "model_config=model_config.json",
                "image_root=.", "image_size=64", "max_steps=2", "num_workers=1", "randaugment=false",
                "save_every_steps=0"));
        s.addAll(List.of(more));
        return s;
    }

    @Test
    void pretrainCaptionAndVqaStartFromTheOfficialFiles() throws Exception {
        TinyWorld w = new TinyWorld(tmp.resolve("world"), 40, 3);
        Path ann = Files.createDirectories(w.dir.resolve("annotation"));
        Files.copy(w.dir.resolve("human.json"), ann.resolve("coco_karpathy_train.json"));
        Files.copy(w.dir.resolve("vqa_train.json"), ann.resolve("vqa_train.json"));

        TrainConfig pre = TrainConfig.resolve(TrainingTask.PRETRAIN, official("pretrain").toString(),
                sets("train_file=[human.json]", "batch_size=8", "queue_size=16", "warmup_steps=5"));
        assertEquals(8, pre.integer("batch_size_train", 0));
        Trainer.Result p = TrainerTest.train(pre, TrainingTask.PRETRAIN, tmp.resolve("pretrain"), false, w.dir);
        assertEquals(2, p.steps());
        String model = "pretrained=" + p.modelDir().toAbsolutePath();

        TrainConfig cap = TrainConfig.resolve(TrainingTask.CAPTION, official("caption_coco").toString(),
                sets(model, "ann_root=annotation", "batch_size=8"));
        Trainer.Result c = TrainerTest.train(cap, TrainingTask.CAPTION, tmp.resolve("caption"), false, w.dir);
        assertEquals(2, TrainerTest.metrics(c.runDir()).size());

        TrainConfig vqa = TrainConfig.resolve(TrainingTask.VQA, official("vqa").toString(),
                sets(model, "ann_root=annotation", "train_files=[vqa_train]", "vqa_root=.", "vg_root=.",
                        "batch_size_train=4"));
        Trainer.Result v = TrainerTest.train(vqa, TrainingTask.VQA, tmp.resolve("vqa"), false, w.dir);
        assertEquals(2, TrainerTest.metrics(v.runDir()).size());
        assertTrue(TrainerTest.metrics(v.runDir()).get(0).has("loss_vqa"));
    }

    @Test
    void laionPathGivesOneShardPerEpoch() throws Exception {
        TinyWorld w = new TinyWorld(tmp.resolve("world"), 24, 3);
        Path laion = Files.createDirectories(w.dir.resolve("laion"));
        // shard 0: the first 8 web records; shard 1: the next 16
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var web = (com.fasterxml.jackson.databind.node.ArrayNode) json.readTree(w.dir.resolve("web.json").toFile());
        var a = json.createArrayNode();
        var b = json.createArrayNode();
        for (int i = 0; i < 24; i++) {
            (i < 8 ? a : b).add(web.get(i));
        }
        json.writeValue(laion.resolve("laion_000.json").toFile(), a);
        json.writeValue(laion.resolve("laion_001.json").toFile(), b);
        List<String> s = sets("train_file=[]", "laion_path=laion", "batch_size=8", "queue_size=16",
                "warmup_steps=5", "max_epoch=3");
        s.remove("max_steps=2");
        TrainConfig pre = TrainConfig.resolve(TrainingTask.PRETRAIN, official("pretrain").toString(), s);
        List<String> log = new ArrayList<>();
        Trainer.Result r;
        try (var m = org.blip4j.engine.Engines.newManager(org.blip4j.engine.Engines.device("cpu"))) {
            r = Trainer.run(pre, TrainingTask.PRETRAIN, tmp.resolve("laion-run"), false, w.dir, m,
                    new TrainingListener() {
                        @Override
                        public void onMessage(String message) {
                            log.add(message);
                        }
                    });
        }
        List<String> shards = log.stream().filter(l -> l.contains("LAION shard")).toList();
        assertEquals(3, shards.size(), log.toString());
        assertTrue(shards.get(0).startsWith("epoch 0: LAION shard laion_000.json"), shards.toString());
        assertTrue(shards.get(1).startsWith("epoch 1: LAION shard laion_001.json"), shards.toString());
        assertTrue(shards.get(2).startsWith("epoch 2: LAION shard laion_000.json"), shards.toString());
        assertTrue(shards.get(0).endsWith(", 8 samples in all") && shards.get(1).endsWith(", 16 samples in all"),
                shards.toString());
        assertEquals(1 + 2 + 1, r.steps(), "batches of 8 over 8, 16 and 8 samples");
    }
}
