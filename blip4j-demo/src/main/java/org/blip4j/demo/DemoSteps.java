package org.blip4j.demo;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.capfilt.CapfiltConfig;
import org.blip4j.capfilt.CapfiltJob;
import org.blip4j.capfilt.CapfiltModels;
import org.blip4j.capfilt.CapfiltOptions;
import org.blip4j.capfilt.CapfiltPipeline;
import org.blip4j.capfilt.CapfiltReport;
import org.blip4j.engine.Engines;
import org.blip4j.eval.CaptionPredictions;
import org.blip4j.eval.CaptionScores;
import org.blip4j.eval.RetrievalMetrics;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.synth.SynthOptions;
import org.blip4j.synth.SynthTokenizer;
import org.blip4j.synth.SyntheticWorld;
import org.blip4j.task.Blip;
import org.blip4j.task.CaptionEvaluation;
import org.blip4j.task.CaptionEvaluationSplit;
import org.blip4j.task.CaptionOptions;
import org.blip4j.task.Captioner;
import org.blip4j.task.retrieval.RetrievalEvaluator;
import org.blip4j.task.retrieval.RetrievalEvaluatorOptions;
import org.blip4j.task.retrieval.RetrievalEvaluatorSplit;
import org.blip4j.train.TrainConfig;
import org.blip4j.train.Trainer;
import org.blip4j.train.TrainingTask;
import org.blip4j.train.vision.VisionPretrainOptions;
import org.blip4j.train.vision.VisionPretrainResult;
import org.blip4j.train.vision.VisionPretrainer;

/**
 * The demo's steps at its sizes: draw the world, pre-train the image encoder, train (pre-training and the
 * fine-tunes), CapFilt, evaluate zero-shot. {@link Demo} and {@link Ablation} run them as restartable stages.
 */
final class DemoSteps {
    private final DemoOptions o;
    private final DemoListener listener;

    DemoSteps(DemoOptions o, DemoListener listener) {
        this.o = o;
        this.listener = listener;
    }

    void world(Path world) throws IOException {
        SyntheticWorld.generate(SynthOptions.defaults(world).withSeed(o.seed()).withSize(o.webSize())
                .withNoise(o.noise()).withImageSize(Demo.IMAGE_SIZE).withSplitSizes(o.humanSize(), o.testSize())
                .withHumanCaptions(o.humanCaptions()).withVisionSize(o.visionSize())); // renders on every core
        SynthTokenizer.write(world);
    }

    /** @param sets config overrides on top of the demo's (a later key wins, so {@code seed=} may be among them) */
    void train(String preset, TrainingTask task, Path run, Path world, List<String> sets) throws IOException {
        List<String> all = new ArrayList<>(List.of("tokenizer=tokenizer", "image_size=" + Demo.IMAGE_SIZE,
                "image_root=.", "batch_size_train=" + o.batch(), "save_every_steps=0",
                // the world's texts name positions and left/right: no flips, no crops that cut objects away
                "num_workers=2", "randaugment=false", "hflip=false", "min_scale=1.0", "dropout=0",
                "warmup_steps=20",
                "seed=" + o.seed()));
        if (task.usesMomentum) { // only these configs have a queue and momentum encoders
            all.addAll(List.of("queue_size=" + (4 * o.batch()), "momentum=0.9"));
        }
        all.addAll(sets);
        TrainConfig cfg = TrainConfig.load(preset).with(all);
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            Trainer.run(cfg, task, run, true, world, m, listener.training());
        }
    }

    VisionPretrainResult pretrainVision(Path world, Path run, String model) throws IOException {
        VisionPretrainOptions vo = VisionPretrainOptions.defaults().withModel(model, Demo.IMAGE_SIZE)
                .withSteps(o.visionSteps(), o.batch()).withLr(1e-3, Math.min(50, o.visionSteps() / 10))
                .withHeldOut(Math.max(1, o.visionSize() / 40)).withSeed(o.seed());
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            return VisionPretrainer.run(vo, world.resolve(SyntheticWorld.VISION_LABELS), world, run, m,
                    listener.training());
        }
    }

    /** The demo's CapFilt settings: BLIP's nucleus sampling, one caption per image, seeded by the run seed. */
    CapfiltOptions capfiltOptions() {
        return CapfiltOptions.defaults().withGeneration(CapfiltOptions.defaults().generation().withSeed(o.seed()))
                .withBatchSize(16);
    }

    /**
     * CapFilt of the world's web split with the fine-tuned runs' models ({@code RUN/model}); several captioners or
     * filters form an ensemble (one of each: the paper's CapFilt).
     */
    CapfiltReport capfilt(Path world, List<Path> captioners, List<Path> filters, CapfiltOptions options, Path out)
            throws IOException {
        CapfiltConfig cfg = new CapfiltConfig(modelKeys(captioners), modelKeys(filters), world.resolve("web.json"),
                world, world.resolve("human.json"), out, world.resolve("web_noise.json"), 1000, false);
        List<Blip> loaded = new ArrayList<>();
        try {
            // parts side by side on the cores the intra-op threads leave: the records stay the same
            int workers = Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, o.threads()));
            return new CapfiltPipeline(cfg, options, workers).run(() -> {
                Map<Path, Blip> byPath = new LinkedHashMap<>(); // per call: each worker gets its own models
                List<Blip> c = new ArrayList<>();
                for (Path p : captioners) {
                    c.add(load(p, byPath, loaded));
                }
                List<Blip> f = new ArrayList<>();
                for (Path p : filters) {
                    f.add(load(p, byPath, loaded));
                }
                return new CapfiltModels(c, f);
            }, listener.capfilt());
        } finally {
            loaded.forEach(Blip::close);
        }
    }

    /** A model named twice (e.g. a shared captioner and filter) is loaded once and used read-only by both roles. */
    private static Blip load(Path run, Map<Path, Blip> byPath, List<Blip> loaded) throws IOException {
        Path model = run.resolve("model").toAbsolutePath();
        Blip b = byPath.get(model);
        if (b == null) {
            b = Blip.load(model.toString());
            byPath.put(model, b);
            loaded.add(b);
        }
        return b;
    }

    private static String modelKeys(List<Path> runs) {
        return String.join(CapfiltJob.ENSEMBLE_SEPARATOR,
                runs.stream().map(r -> r.resolve("model").toAbsolutePath().toString()).toList());
    }

    /**
     * Zero-shot retrieval (ITC top-k re-ranked by ITM) and captioning (beam 3, max length 20, min 3, no prompt) of a
     * pre-trained model.
     */
    ModelScores evaluate(String name, Path model, Path world, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        try (Blip blip = Blip.load(model.toString())) {
            RetrievalEvaluatorSplit split = RetrievalEvaluatorSplit.read(world.resolve("test.json"), world);
            RetrievalMetrics r = new RetrievalEvaluator(blip, RetrievalEvaluatorOptions.defaults()
                    .withKTest(o.kTest())).evaluate(split, listener.retrieval()).metrics();
            CaptionEvaluationSplit cs = CaptionEvaluationSplit.read(world.resolve("test.json"), world);
            Captioner captioner = new Captioner(blip, CaptionOptions.defaults().withPrompt("")
                    .withGeneration(GenerationOptions.beam(3, 20, 3)).withBatchSize(16));
            CaptionPredictions preds = new CaptionEvaluation(captioner).generate(cs, n -> { });
            CaptionEvaluation.writePredictions(preds, outDir.resolve("captions.json"));
            CaptionScores c = CaptionEvaluation.score(cs.references(), preds);
            List<String> examples = new ArrayList<>();
            for (Long id : cs.imageIds().subList(0, Math.min(6, cs.imageIds().size()))) {
                examples.add(preds.captions().get(id));
            }
            return new ModelScores(name, r.txtR1(), r.imgR1(), r.rMean(), c.corpus().get("Bleu_4"),
                    c.corpus().get("CIDEr"), examples);
        }
    }
}
