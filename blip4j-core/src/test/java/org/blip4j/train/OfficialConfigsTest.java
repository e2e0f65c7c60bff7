package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.blip4j.model.BlipConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The original BLIP config files (test resources, unmodified) resolve to the official values for their task; keys
 * of other tasks, unknown keys and conflicting aliases are refused by name. Nothing here reads data or a model.
 */
class OfficialConfigsTest {
    @TempDir
    Path tmp;

    Path official(String name) throws IOException {
        Path p = tmp.resolve(name + ".yaml");
        try (InputStream in = getClass().getResourceAsStream("/official-configs/" + name + ".yaml")) {
            Files.write(p, in.readAllBytes());
        }
        return p;
    }

    TrainConfig resolve(TrainingTask task, String name, String... sets) throws IOException {
        return TrainConfig.resolve(task, official(name).toString(), List.of(sets));
    }

    @Test
    void officialValuesResolve() throws Exception {
        TrainConfig pre = resolve(TrainingTask.PRETRAIN, "pretrain", "train_file=[a.json]", "tokenizer=tok");
        assertEquals(75, pre.integer("batch_size_train", 0), "pretrain.yaml batch_size: 75");
        assertEquals("file", pre.sourceOf("batch_size_train"));
        assertEquals("set", pre.sourceOf("train_file"));
        assertEquals("preset", pre.sourceOf("schedule"));
        assertEquals(224, pre.integer("image_size", 0));
        assertEquals(57600, pre.integer("queue_size", 0));
        assertEquals(3000, pre.integer("warmup_steps", 0));
        assertEquals("base", pre.string("model_config", null));
        assertFalse(pre.describe().has("batch_size_train"), "one entry per setting: the file's batch_size");
        assertEquals(75, pre.describe().get("batch_size").get("value").asInt());

        TrainConfig ret = resolve(TrainingTask.RETRIEVAL, "retrieval_coco", "image_root=img", "ann_root=ann");
        assertTrue(ret.bool("vit_grad_ckpt", false));
        assertEquals(4, ret.integer("vit_ckpt_layer", 0));
        assertEquals(256, ret.integer("k_test", 0));
        assertEquals(32, ret.integer("batch_size_train", 0));
        assertTrue(ret.string("init_from", "").startsWith("https://storage.googleapis.com/"), "pretrained is init_from");
        assertEquals(1e-5, ret.number("init_lr", 0), 0);
        assertEquals(6, ret.integer("max_epoch", 0));

        TrainConfig vqa = resolve(TrainingTask.VQA, "vqa", "vqa_root=v", "vg_root=g", "ann_root=ann");
        assertEquals(480, vqa.integer("image_size", 0));
        assertEquals(List.of("vqa_train", "vqa_val", "vg_qa"), vqa.strings("train_files"));
        assertEquals(480, TrainingModel.planned(vqa, TrainingTask.VQA, tmp).vision().imageSize());

        TrainConfig cap = resolve(TrainingTask.CAPTION, "caption_coco", "image_root=img");
        assertEquals(32, cap.integer("batch_size_train", 0));
        assertEquals("a picture of ", cap.string("prompt", null));
        assertEquals(3, cap.integer("num_beams", 0));
        resolve(TrainingTask.CAPTION, "nocaps");
        TrainConfig flickr = resolve(TrainingTask.RETRIEVAL, "retrieval_flickr");
        assertFalse(flickr.bool("negative_all_rank", true));
        assertEquals(128, flickr.integer("k_test", 0));
    }

    @Test
    void vitLargeGivesViTL() throws Exception {
        TrainConfig c = resolve(TrainingTask.RETRIEVAL, "retrieval_coco", "vit=large", "vit_ckpt_layer=12");
        BlipConfig m = TrainingModel.planned(c, TrainingTask.RETRIEVAL, tmp);
        assertEquals(1024, m.vision().hiddenSize());
        assertEquals(24, m.vision().numHiddenLayers());
        assertEquals(16, m.vision().numAttentionHeads());
        assertEquals(1024, m.text().encoderHiddenSize(), "the text side cross-attends to ViT-L's width");
        ObjectNode d = c.describe();
        assertEquals("set", d.get("vit").get("source").asText());
        assertFalse(d.has("model_config"));
    }

    @Test
    void unknownAndForeignKeysAreRefusedByName() throws Exception {
        var e = assertThrows(IllegalArgumentException.class,
                () -> resolve(TrainingTask.PRETRAIN, "pretrain", "no_such_key=5"));
        assertTrue(e.getMessage().contains("'no_such_key'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> resolve(TrainingTask.PRETRAIN, "pretrain",
                "queu_size=5"));
        assertTrue(e.getMessage().contains("did you mean queue_size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> resolve(TrainingTask.CAPTION, "caption_coco",
                "queue_size=5"));
        assertTrue(e.getMessage().contains("'queue_size'") && e.getMessage().contains("pretrain/retrieval"),
                e.getMessage());
        // a whole file of another task: its first foreign key is named
        e = assertThrows(IllegalArgumentException.class, () -> resolve(TrainingTask.CAPTION, "vqa"));
        assertTrue(e.getMessage().contains("vqa.yaml") && e.getMessage().contains("not to a caption config"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> resolve(TrainingTask.RETRIEVAL, "retrieval_msrvtt"));
        assertTrue(e.getMessage().contains("'video_root'") && e.getMessage().contains("runs as 'blip eval retrieval-video'"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> resolve(TrainingTask.VQA, "vqa", "inference=beam"));
        assertTrue(e.getMessage().contains("'inference'") && e.getMessage().contains("rank"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> resolve(TrainingTask.PRETRAIN, "pretrain",
                "vit=huge"));
        assertTrue(e.getMessage().contains("'vit'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> resolve(TrainingTask.PRETRAIN, "pretrain",
                "batch_size=seven"));
        assertTrue(e.getMessage().contains("'batch_size' must be an integer"), e.getMessage());
    }

    @Test
    void aliasesNeverOverrideEachOtherSilently() throws Exception {
        // the same layer naming one setting twice with different values: refused
        var e = assertThrows(IllegalArgumentException.class, () -> resolve(TrainingTask.PRETRAIN, "pretrain",
                "vit=large", "model_config=base"));
        assertTrue(e.getMessage().contains("'vit'") && e.getMessage().contains("'model_config'"), e.getMessage());
        Path f = tmp.resolve("both.yaml");
        Files.writeString(f, "batch_size: 75\nbatch_size_train: 32\n");
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.resolve(TrainingTask.PRETRAIN,
                f.toString(), List.of()));
        assertTrue(e.getMessage().contains("'batch_size'") && e.getMessage().contains("'batch_size_train'"),
                e.getMessage());
        // a later layer replaces the other name, and says so
        TrainConfig c = resolve(TrainingTask.PRETRAIN, "pretrain", "batch_size_train=8", "model_config=tiny");
        assertEquals(8, c.integer("batch_size_train", 0));
        assertEquals("tiny", c.string("model_config", null));
        assertFalse(c.describe().has("batch_size") || c.describe().has("vit"));
        assertEquals(2, c.notes().size(), c.notes().toString());
        assertTrue(c.notes().get(0).contains("replaces"), c.notes().toString());
    }

    @Test
    void shippedPresetsUseKnownKeys() throws Exception {
        for (TrainingTask t : TrainingTask.values()) {
            TrainConfig c = TrainConfig.resolve(t, TrainConfig.presetOf(t), List.of());
            c.describe().fieldNames().forEachRemaining(k -> assertEquals("preset", c.sourceOf(k), k));
        }
    }

    @Test
    void annRootFindsTheOfficialFileNames() throws Exception {
        Path ann = Files.createDirectories(tmp.resolve("ann"));
        TrainConfig ret = resolve(TrainingTask.RETRIEVAL, "retrieval_flickr", "ann_root=" + ann);
        var e = assertThrows(IllegalArgumentException.class, () -> TrainingData.trainFiles(ret,
                TrainingTask.RETRIEVAL, tmp));
        assertTrue(e.getMessage().contains("flickr30k_train.json"), e.getMessage());
        Files.writeString(ann.resolve("flickr30k_train.json"), "[]");
        assertEquals(List.of(ann.resolve("flickr30k_train.json").toString()),
                TrainingData.trainFiles(ret, TrainingTask.RETRIEVAL, tmp));
        for (String n : List.of("vqa_train", "vqa_val", "vg_qa")) {
            Files.writeString(ann.resolve(n + ".json"), "[]");
        }
        TrainConfig vqa = resolve(TrainingTask.VQA, "vqa", "ann_root=" + ann);
        assertEquals(3, TrainingData.trainFiles(vqa, TrainingTask.VQA, tmp).size());
        var bad = resolve(TrainingTask.VQA, "vqa", "ann_root=" + ann, "train_files=[../secret]");
        assertThrows(IllegalArgumentException.class, () -> TrainingData.trainFiles(bad, TrainingTask.VQA, tmp));
    }

    @Test
    void laionPathListsItsShardsInOrder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("laion"));
        Files.writeString(dir.resolve("b.json"), "[]");
        Files.writeString(dir.resolve("a.json"), "[]");
        Files.writeString(dir.resolve("notes.txt"), "");
        assertEquals(List.of(dir.resolve("a.json"), dir.resolve("b.json")), Trainer.laionShards(
                resolve(TrainingTask.PRETRAIN, "pretrain", "laion_path=laion"), tmp));
        assertEquals(List.of(), Trainer.laionShards(resolve(TrainingTask.PRETRAIN, "pretrain"), tmp), "'' is off");
        var e = assertThrows(IllegalArgumentException.class, () -> Trainer.laionShards(
                resolve(TrainingTask.PRETRAIN, "pretrain", "laion_path=nowhere"), tmp));
        assertTrue(e.getMessage().contains("laion_path"), e.getMessage());
    }
}
