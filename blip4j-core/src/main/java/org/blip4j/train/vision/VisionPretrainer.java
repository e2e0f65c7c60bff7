package org.blip4j.train.vision;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.image.ImagePreprocessor;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipConfigJson;
import org.blip4j.model.BlipModel;
import org.blip4j.model.BlipModelSaver;
import org.blip4j.model.ModelInitializer;
import org.blip4j.model.ModelPresets;
import org.blip4j.model.Part;
import org.blip4j.nn.Parameter;
import org.blip4j.nn.Scoped;
import org.blip4j.train.AdamW;
import org.blip4j.train.Gradients;
import org.blip4j.train.LossPlot;
import org.blip4j.train.LrSchedule;
import org.blip4j.train.StepMetrics;
import org.blip4j.train.Trainer;
import org.blip4j.train.TrainingListener;
import org.blip4j.util.AtomicFiles;
import org.blip4j.util.MemoryStats;
import org.blip4j.util.RunDirectoryLock;

/**
 * Supervised pre-training of the image encoder alone, the role ImageNet plays for BLIP (whose ViT starts from
 * ImageNet weights, orig {@code models/blip.py} {@code create_vit}): a labelled image set ({@link VisionLabels}) → a
 * vision-only model directory that {@code pretrain} takes as {@code init_vision_from}. Writes, under {@code out}:
 * {@code model/} (config.json, model.safetensors with {@code vision_model.*} only, preprocessor_config.json),
 * {@code metrics.jsonl}, {@code loss.png} and {@code vision_pretrain.json} (classes, held-out accuracy); the last
 * appears only when everything else is written, and a run that finds it returns at once. An interrupted run starts over
 * (minutes of work, so no mid-run checkpoints).
 */
public final class VisionPretrainer {
    public static final String SUMMARY = "vision_pretrain.json";
    public static final String MODEL = "model";
    static final int VOCAB_SIZE = 30524; // the text side is never built; the saved config needs a vocabulary

    private VisionPretrainer() {
    }

    public static VisionPretrainResult run(VisionPretrainOptions o, Path labelsFile, Path imageRoot, Path out,
            NDManager manager, TrainingListener listener) throws IOException {
        Files.createDirectories(out);
        try (RunDirectoryLock lock = RunDirectoryLock.acquire(out)) {
            if (Files.isRegularFile(out.resolve(SUMMARY))) {
                listener.onMessage("already done: " + out.resolve(SUMMARY));
                return readSummary(out);
            }
            return train(o, VisionLabels.read(labelsFile), imageRoot, out, manager, listener);
        }
    }

    private static VisionPretrainResult train(VisionPretrainOptions o, VisionLabels labels, Path imageRoot, Path out,
            NDManager manager, TrainingListener listener) throws IOException {
        long t0 = System.nanoTime();
        List<VisionExample> all = labels.examples();
        int heldOut = Math.min(o.heldOut(), all.size() / 5);
        List<VisionExample> train = all.subList(0, all.size() - heldOut);
        List<VisionExample> test = all.subList(all.size() - heldOut, all.size());
        BlipConfig config = modelConfig(o);
        ImagePreprocessor pre = ImagePreprocessor.blipDefaults(o.imageSize());
        VisionImages images = new VisionImages(imageRoot, pre);
        Path metrics = out.resolve("metrics.jsonl");
        Files.deleteIfExists(metrics);
        try (NDManager m = manager.newSubManager();
                BlipModel model = new BlipModel(config, EnumSet.of(Part.VISION), 0, m)) {
            ModelInitializer.initialize(model.parameters(), m, config.vision().initializerRange(), o.seed());
            try (VisionHeads heads = new VisionHeads(config.vision().hiddenSize(), config.vision().gridSize(),
                    labels.objectGroups(), labels.imageGroups(), m, config.vision().initializerRange(),
                    o.seed() + 1)) {
                List<Parameter> params = new ArrayList<>(model.parameters().parameters().values());
                params.addAll(heads.parameters());
                Gradients.enable(params);
                AdamW optimizer = AdamW.withWeightDecay(o.weightDecay());
                LrSchedule schedule = LrSchedule.cosinePerStep(o.lr(), 0, o.warmupSteps(), o.steps());
                listener.onStart(o.steps(), 0);
                listener.onMessage(String.format("vision pre-training: %d images (%d held out), object groups %s,"
                        + " image groups %s", train.size(), test.size(), labels.objectGroups().names(),
                        labels.imageGroups().names()));
                EpochSampler sampler = new EpochSampler(train.size(), o.seed());
                for (int step = 0; step < o.steps(); step++) {
                    long s0 = System.nanoTime();
                    Engine.getEngine("PyTorch").setRandomSeed((int) (o.seed() * 1_000_003L + step));
                    VisionImages.Batch batch = images.batch(train, sampler, o.batch());
                    double loss = Scoped.inSubManager(m, sm -> {
                        NDArray pixels = sm.create(batch.pixels(), new Shape(batch.examples().size(), 3,
                                o.imageSize(), o.imageSize()));
                        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                            NDArray l = heads.loss(model.imageEmbeds(pixels, true), batch.examples(), sm);
                            if (l == null) {
                                return 0.0; // a batch without any label (objects only, none drawn) teaches nothing
                            }
                            gc.backward(l);
                            return (double) l.getFloat();
                        }
                    });
                    if (!Double.isFinite(loss)) {
                        throw new IllegalStateException("vision pre-training diverged at step " + (step + 1)
                                + " (loss " + loss + "); lower the learning rate");
                    }
                    double lr = schedule.lr(0, step, o.steps());
                    optimizer.step(params, lr, m);
                    Gradients.clear(params);
                    double secs = (System.nanoTime() - s0) / 1e9;
                    StepMetrics sm = new StepMetrics(step + 1, 0, lr, Map.of("loss", loss),
                            batch.examples().size() / Math.max(secs, 1e-9), MemoryStats.rssMiB(), Double.NaN);
                    Trainer.appendMetrics(metrics, sm);
                    listener.onStep(sm);
                }
                Map<String, Double> accuracy = evaluate(model, heads, test, images, o, m);
                listener.onMessage("held-out accuracy: " + accuracy);
                Path modelDir = out.resolve(MODEL);
                BlipModelSaver.save(model, modelDir);
                LossPlot.write(metrics, out.resolve("loss.png"), "vision pre-training");
                VisionPretrainResult result = new VisionPretrainResult(modelDir, accuracy, train.size(), test.size(),
                        images.skipped(), (System.nanoTime() - t0) / 1e9);
                writeSummary(out, result, labels, o);
                return result;
            }
        }
    }

    private static Map<String, Double> evaluate(BlipModel model, VisionHeads heads, List<VisionExample> test,
            VisionImages images, VisionPretrainOptions o, NDManager m) {
        Accuracy acc = new Accuracy();
        for (int from = 0; from < test.size(); from += o.batch()) {
            VisionImages.Batch batch = images.slice(test, from, Math.min(test.size(), from + o.batch()));
            if (batch.examples().isEmpty()) {
                continue;
            }
            Scoped.inSubManager(m, sm -> {
                NDArray pixels = sm.create(batch.pixels(), new Shape(batch.examples().size(), 3, o.imageSize(),
                        o.imageSize()));
                heads.score(model.imageEmbeds(pixels, false), batch.examples(), sm, acc);
            });
        }
        return acc.fractions();
    }

    private static void writeSummary(Path out, VisionPretrainResult r, VisionLabels labels, VisionPretrainOptions o)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode n = json.createObjectNode();
        n.put("model", MODEL);
        n.put("model_config", o.modelConfig());
        n.put("image_size", o.imageSize());
        n.put("steps", o.steps());
        n.put("batch", o.batch());
        n.put("lr", o.lr());
        n.put("train_images", r.trainImages());
        n.put("held_out_images", r.heldOutImages());
        n.put("skipped_images", r.skippedImages());
        n.put("seconds", r.seconds());
        ObjectNode acc = n.putObject("held_out_accuracy");
        r.heldOutAccuracy().forEach(acc::put);
        n.set("object_classes", json.valueToTree(labels.objectGroups().classes()));
        n.set("image_classes", json.valueToTree(labels.imageGroups().classes()));
        AtomicFiles.writeString(out.resolve(SUMMARY), json.writerWithDefaultPrettyPrinter().writeValueAsString(n));
    }

    private static VisionPretrainResult readSummary(Path out) throws IOException {
        var n = new ObjectMapper().readTree(out.resolve(SUMMARY).toFile());
        Map<String, Double> acc = new LinkedHashMap<>();
        n.path("held_out_accuracy").fields().forEachRemaining(e -> acc.put(e.getKey(), e.getValue().asDouble()));
        return new VisionPretrainResult(out.resolve(MODEL), acc, n.path("train_images").asInt(),
                n.path("held_out_images").asInt(), n.path("skipped_images").asInt(), n.path("seconds").asDouble());
    }

    /** A preset name, or an HF {@code config.json} file whose {@code vision_config} is used at the chosen size. */
    static BlipConfig modelConfig(VisionPretrainOptions o) throws IOException {
        Path file = Path.of(o.modelConfig());
        if (Files.isRegularFile(file)) {
            BlipConfig c = BlipConfigJson.read(file);
            return c.withVision(c.vision().withImageSize(o.imageSize()));
        }
        return ModelPresets.named(o.modelConfig(), o.imageSize(), VOCAB_SIZE);
    }
}
