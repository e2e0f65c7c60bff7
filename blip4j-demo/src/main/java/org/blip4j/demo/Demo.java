package org.blip4j.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.blip4j.capfilt.CapfiltPipeline;
import org.blip4j.capfilt.CapfiltReport;
import org.blip4j.train.TrainingTask;
import org.blip4j.train.vision.VisionPretrainResult;
import org.blip4j.train.vision.VisionPretrainer;
import org.blip4j.util.AtomicFiles;

/**
 * BLIP's story in miniature (paper Table 1): make the synthetic world → pre-train the image encoder on the world's
 * labelled vision split (the role of ImageNet: BLIP's ViT never starts from scratch) → pre-train on web + human
 * pairs → fine-tune
 * a captioner (LM) and a filter (ITC + ITM) on the human pairs → CapFilt the web split → pre-train a fresh model on
 * the bootstrapped data → evaluate both zero-shot on the test split → {@code report.md}. Each finished stage
 * leaves a {@code DONE} marker, so a rerun continues where the last one stopped.
 */
public final class Demo {
    static final int IMAGE_SIZE = 64;
    static final int STAGES = 9;
    /** Both pre-trainings start from the pre-trained image encoder, so a gentler rate than from scratch. */
    static final String PRETRAIN_LR = "5e-4";

    private final DemoOptions o;
    private final int rounds;
    private final DemoListener listener;
    private final DemoSteps steps;
    private int stagesStarted;
    private final Map<String, StageTime> times = new LinkedHashMap<>();

    private Demo(DemoOptions o, int rounds, DemoListener listener) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
        this.o = o;
        this.rounds = rounds;
        this.listener = listener;
        this.steps = new DemoSteps(o, listener);
    }

    public static DemoReport run(DemoOptions options, DemoListener listener) throws IOException {
        return run(options, 1, listener);
    }

    /**
     * @param rounds rounds of bootstrapping; with more than one, round r's captioner, filter and CapFilt output
     *     ({@code bootstrapped.json}, report, parts) are in {@code OUT/round-r}, and its pre-trained model (r ≥ 2)
     *     in {@code OUT/round-r/pretrain}
     */
    public static DemoReport run(DemoOptions options, int rounds, DemoListener listener) throws IOException {
        return new Demo(options, rounds, listener).run();
    }

    private DemoReport run() throws IOException {
        Path out = o.out();
        Path world = out.resolve("world");
        stage("synthetic world", world, () -> steps.world(world));
        // the shapes model size, as a config file the trainers take (model_config / --model-config)
        String model = ShapesModel.writeFor(out.resolve("shapes_model.json"), IMAGE_SIZE, world.resolve("tokenizer"))
                .toAbsolutePath().toString();
        Path vision = out.resolve("pretrain_vision");
        VisionPretrainResult[] encoder = new VisionPretrainResult[1];
        // no DONE marker: the pre-trainer returns its finished result at once on a rerun
        String visionStage = "pre-train the image encoder on the labelled vision split";
        boolean visionFinished = Files.isRegularFile(vision.resolve(VisionPretrainer.SUMMARY));
        stage(visionStage, null, () -> encoder[0] = pretrainVision(world, vision, model));
        if (visionFinished) {
            times.put(visionStage, StageTime.earlier(encoder[0].seconds()));
        }
        String visionInit = "init_vision_from=" + encoder[0].model().toAbsolutePath();
        Path preWeb = out.resolve("pretrain_web");
        stage("pre-train on web + human (no CapFilt)", preWeb, () -> train("pretrain", TrainingTask.PRETRAIN,
                preWeb, world, List.of("train_file=[web.json, human.json]", "max_steps=" + o.pretrainSteps(),
                        "model_config=" + model, "init_lr=" + PRETRAIN_LR, visionInit)));
        // Rounds of CapFilt (issue 19): round r pre-trains a fresh model on round r-1's bootstrapped data (round
        // 1: on web + human, stage 3), fine-tunes a captioner and a filter from it on the human pairs, and CapFilts
        // the original web texts again. One round is the paper's CapFilt and keeps the demo's directories.
        List<Path> roundData = new ArrayList<>();
        List<CapfiltReport> roundFiltering = new ArrayList<>();
        List<Path> roundPretrain = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            String tag = rounds == 1 ? "" : "round " + r + ": ";
            Path dir = rounds == 1 ? out : out.resolve("round-" + r);
            Path pre = preWeb;
            if (r > 1) {
                pre = dir.resolve("pretrain");
                Path previous = roundData.get(r - 2);
                Path preRound = pre;
                stage(tag + "pre-train a fresh model on round " + (r - 1) + "'s bootstrapped data", pre,
                        () -> train("pretrain", TrainingTask.PRETRAIN, preRound, world, List.of("train_file="
                                + previous.toAbsolutePath(), "max_steps=" + o.pretrainSteps(), "model_config="
                                + model, "init_lr=" + PRETRAIN_LR, visionInit)));
            }
            roundPretrain.add(pre);
            Path init = pre.resolve("model").toAbsolutePath();
            Path captioner = dir.resolve("captioner");
            stage(tag + "fine-tune the captioner on human pairs", captioner, () -> train("caption_coco",
                    TrainingTask.CAPTION, captioner, world, List.of("train_file=human.json", "init_from=" + init,
                            "max_steps=" + o.captionerSteps(), "init_lr=5e-4", "schedule=cosine_step")));
            Path filter = dir.resolve("filter");
            stage(tag + "fine-tune the filter on human pairs", filter, () -> train("retrieval_coco",
                    TrainingTask.RETRIEVAL, filter, world, List.of("train_file=human.json", "init_from=" + init,
                            "max_steps=" + o.filterSteps(), "init_lr=5e-4", "schedule=cosine_step")));
            Path capfiltDir = rounds == 1 ? out.resolve("capfilt") : dir;
            CapfiltReport[] filtering = new CapfiltReport[1];
            // no DONE marker: the pipeline resumes from its own part files, and a rerun needs its report anyway
            stage(tag + "CapFilt the web split", null,
                    () -> filtering[0] = capfilt(world, captioner, filter, capfiltDir));
            roundFiltering.add(filtering[0]);
            roundData.add(capfiltDir.resolve("bootstrapped.json"));
        }
        Path preBoot = out.resolve("pretrain_capfilt");
        Path lastData = roundData.get(rounds - 1);
        stage("pre-train a fresh model on the bootstrapped data", preBoot, () -> train("pretrain",
                TrainingTask.PRETRAIN, preBoot, world, List.of("train_file=" + lastData.toAbsolutePath(),
                        "max_steps=" + o.pretrainSteps(), "model_config=" + model, "init_lr=" + PRETRAIN_LR,
                        visionInit)));
        ModelScores[] scores = new ModelScores[2];
        List<BootstrapRound> roundResults = new ArrayList<>();
        stage(rounds == 1 ? "evaluate both models on the test split"
                : "evaluate the pre-trained models on the test split", null, () -> {
            scores[0] = evaluate("no CapFilt", preWeb.resolve("model"), world, out.resolve("eval_no_capfilt"));
            scores[1] = evaluate("CapFilt", preBoot.resolve("model"), world, out.resolve("eval_capfilt"));
            for (int r = 1; r <= rounds; r++) {
                // the model pre-trained on round r's data: round r+1's first stage, or the last stage's
                ModelScores m = r == rounds ? scores[1] : evaluate("CapFilt round " + r,
                        roundPretrain.get(r).resolve("model"), world, out.resolve("round-" + r).resolve("eval"));
                roundResults.add(new BootstrapRound(r, roundFiltering.get(r - 1), m));
            }
        });
        Path md = out.resolve("report.md");
        String histogram = out.relativize(roundData.get(rounds - 1).getParent()) + "/" + CapfiltPipeline.HISTOGRAM;
        CapfiltReport lastFiltering = roundFiltering.get(rounds - 1);
        stage("report", null, () -> DemoReportWriter.write(md, o, encoder[0], scores[0], scores[1], lastFiltering,
                times, world, roundResults, histogram));
        return new DemoReport(out, encoder[0], scores[0], scores[1], lastFiltering, times, md, roundResults);
    }

    @FunctionalInterface
    interface Body {
        void run() throws IOException;
    }

    private void stage(String name, Path dir, Body body) throws IOException {
        listener.stage(++stagesStarted, STAGES + 4 * (rounds - 1), name);
        Path done = dir == null ? null : dir.resolve("DONE");
        if (done != null && Files.exists(done)) {
            listener.message("already done: " + dir);
            earlierSeconds(done).ifPresent(t -> times.put(name, StageTime.earlier(t)));
            return;
        }
        long t0 = System.nanoTime();
        body.run();
        double s = (System.nanoTime() - t0) / 1e9;
        times.put(name, StageTime.now(s));
        if (done != null) {
            AtomicFiles.writeString(done, String.format(Locale.ROOT, "%.1f s%n", s));
        }
    }

    /** The seconds a DONE marker records ("12.3 s"); empty for a marker written by hand or an older version. */
    private static OptionalDouble earlierSeconds(Path done) throws IOException {
        String text = Files.readString(done).strip();
        try {
            return OptionalDouble.of(Double.parseDouble(text.endsWith(" s") ? text.substring(0, text.length() - 2)
                    : text));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    private void train(String preset, TrainingTask task, Path run, Path world, List<String> sets) throws IOException {
        steps.train(preset, task, run, world, sets);
    }

    private VisionPretrainResult pretrainVision(Path world, Path run, String model) throws IOException {
        return steps.pretrainVision(world, run, model);
    }

    private CapfiltReport capfilt(Path world, Path captioner, Path filter, Path out) throws IOException {
        return steps.capfilt(world, List.of(captioner), List.of(filter), steps.capfiltOptions(), out);
    }

    private ModelScores evaluate(String name, Path model, Path world, Path outDir) throws IOException {
        return steps.evaluate(name, model, world, outDir);
    }
}
