package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.engine.Engines;
import org.blip4j.model.Part;
import org.blip4j.task.Blip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end training behaviour on a tiny synthetic world: learning, exact resume, loadable output. */
class TrainerTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static List<JsonNode> metrics(Path run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    static Trainer.Result train(TrainConfig cfg, TrainingTask task, Path run, boolean resume, Path base)
            throws Exception {
        try (var m = Engines.newManager(Engines.device("cpu"))) {
            return Trainer.run(cfg, task, run, resume, base, m, TrainingListener.NONE);
        }
    }

    static double mean(List<JsonNode> rows, int from, int to, String key) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += rows.get(i).get(key).asDouble();
        }
        return s / (to - from);
    }

    @Test
    void twoHundredPretrainingStepsLowerEveryLoss() throws Exception {
        TinyWorld w = new TinyWorld(tmp.resolve("world"), 160, 3);
        TrainConfig cfg = w.config("pretrain", "train_file=[human.json]", "max_steps=200", "init_lr=2e-3",
                "momentum=0.9", "model_config=shapes_model.json", "batch_size_train=16", "queue_size=64",
                "min_scale=1.0");
        Trainer.Result r = train(cfg, TrainingTask.PRETRAIN, tmp.resolve("run"), false, w.dir);
        List<JsonNode> rows = metrics(r.runDir());
        assertEquals(200, rows.size());
        for (String k : new String[] {"loss_itc", "loss_lm"}) {
            double start = mean(rows, 0, 5, k);
            double end = mean(rows, 180, 200, k);
            assertTrue(end < 0.75 * start, k + " went from " + start + " to " + end);
        }
        // ITM starts near chance (1/3 of its pairs are positives): it must beat the best constant predictor,
        // H(1/3) = 0.6365, i.e. use the image and the text, and fall clearly below where it started
        double itmStart = mean(rows, 0, 5, "loss_itm");
        double itmEnd = mean(rows, 180, 200, "loss_itm");
        assertTrue(itmEnd < 0.6365 && itmEnd < itmStart - 0.04, "loss_itm went from " + itmStart + " to " + itmEnd);
        assertTrue(Files.size(r.lossPlot()) > 1000, "loss plot written");
        try (Blip blip = Blip.load(r.modelDir().toString())) {
            assertTrue(blip.model().has(Part.ITM_HEAD) && blip.model().has(Part.TEXT_DECODER));
        }
    }

    @Test
    void resumeContinuesExactlyWhereItStopped() throws Exception {
        TinyWorld w = new TinyWorld(tmp.resolve("world"), 40, 5);
        String[] common = {"train_file=[web.json]", "dropout=0.1", "batch_size_train=4", "queue_size=16",
            "init_lr=1e-3", "grad_accum_steps=2"};
        TrainConfig full = w.config("pretrain", common).with(List.of("max_steps=8"));
        train(full, TrainingTask.PRETRAIN, tmp.resolve("full"), false, w.dir);
        TrainConfig part = w.config("pretrain", common).with(List.of("max_steps=5"));
        train(part, TrainingTask.PRETRAIN, tmp.resolve("split"), false, w.dir);
        train(full, TrainingTask.PRETRAIN, tmp.resolve("split"), true, w.dir);
        List<JsonNode> a = metrics(tmp.resolve("full"));
        List<JsonNode> b = metrics(tmp.resolve("split"));
        assertEquals(8, b.size());
        for (int i = 0; i < 8; i++) {
            for (String k : new String[] {"loss_itc", "loss_itm", "loss_lm", "lr"}) {
                assertEquals(a.get(i).get(k).asDouble(), b.get(i).get(k).asDouble(), 1e-5, "step " + (i + 1) + " " + k);
            }
        }
    }

    @Test
    void captionerMemorisesAHandfulOfImages() throws Exception {
        TinyWorld w = new TinyWorld(tmp.resolve("world"), 20, 7);
        // four images, one caption each
        JsonNode human = JSON.readTree(w.dir.resolve("human.json").toFile());
        var four = JSON.createArrayNode();
        List<String> truth = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            var rec = JSON.createObjectNode();
            rec.put("image", human.get(i).get("image").asText());
            String cap = human.get(i).get("caption").get(0).asText();
            rec.put("caption", cap);
            truth.add(cap);
            four.add(rec);
        }
        Files.writeString(w.dir.resolve("four.json"), four.toString());
        TrainConfig cfg = w.config("caption_coco", "train_file=four.json", "batch_size_train=4", "max_steps=150",
                "init_lr=2e-3", "min_scale=1.0", "schedule=cosine_step", "warmup_steps=10");
        Trainer.Result r = train(cfg, TrainingTask.CAPTION, tmp.resolve("cap"), false, w.dir);
        try (Blip blip = Blip.load(r.modelDir().toString())) {
            var captioner = new org.blip4j.task.Captioner(blip, org.blip4j.task.CaptionOptions.defaults()
                    .withGeneration(org.blip4j.generate.GenerationOptions.greedy(20, 1)));
            List<org.blip4j.image.RgbImage> images = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                images.add(org.blip4j.image.ImageLoader.load(w.dir.resolve(human.get(i).get("image").asText())));
            }
            var caps = captioner.caption(images);
            for (int i = 0; i < 4; i++) {
                assertEquals(truth.get(i), caps.get(i).get(0).text().trim(), "image " + i);
            }
        }
    }
}
