package org.blip4j.demo;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.blip4j.capfilt.CapfiltOptions;
import org.blip4j.capfilt.CapfiltReport;
import org.blip4j.capfilt.FilterRule;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.train.TrainingTask;
import org.blip4j.train.vision.VisionPretrainResult;
import org.blip4j.train.vision.VisionPretrainer;
import org.blip4j.util.AtomicFiles;

/**
 * The CapFilt ablation (issue 19; docs/CAPFILT.md): on one seed's world, the paper's Tables 1, 2 and 4 and the
 * proposals beyond it (K captions per image, an ensemble, rounds), each variant's data pre-trained into a fresh
 * model and evaluated zero-shot. The demo's stages (world, image encoder, pre-training on web + human, captioner and
 * filter) are run once and shared; a CapFilt run serves every variant its records can give (filter only and
 * captioner only come from the K = 1 run's parts, K = 3 from the K = 5 run's). Every stage is restartable: DONE
 * markers, CapFilt's part files, and a variant is done when its {@code variants/ID/result.json} exists.
 *
 * <p>Layout of {@code OUT} (one seed): the demo's {@code world}, {@code pretrain_vision}, {@code pretrain_web},
 * {@code captioner}, {@code filter}; CapFilt runs {@code capfilt-k1}, {@code capfilt-beam}, {@code capfilt-shared},
 * {@code capfilt-k5}, {@code capfilt-ensemble}; fine-tunes {@code shared}, {@code captioner-b}, {@code filter-b};
 * {@code round-r/} (captioner, filter, capfilt) for r = 2, 3; {@code variants/ID/} (data.json when derived,
 * pretrain/, eval/, result.json); {@code stage-times.json}.
 */
public final class Ablation {
    /** The second captioner and filter of the ensemble train with this seed offset (batches drawn differently). */
    static final long ENSEMBLE_SEED_OFFSET = 1000;
    static final int STAGES = 30;
    static final String STAGE_TIMES = "stage-times.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Told after every finished variant (the experiment rewrites its summary then). */
    @FunctionalInterface
    public interface VariantListener {
        void finished(VariantResult r) throws IOException;
    }

    private final DemoOptions o;
    private final DemoListener listener;
    private final VariantListener onVariant;
    private final DemoSteps steps;
    private final Path out;
    private final Path world;
    private final Map<AblationVariant, VariantResult> results = new EnumMap<>(AblationVariant.class);
    private final Map<String, Double> times;
    private final double nominalTotal;
    private double nominalDone;
    private double nominalRun;
    private double secondsRun;
    private int stage;

    private Ablation(DemoOptions o, DemoListener listener, VariantListener onVariant) throws IOException {
        this.o = o;
        this.listener = listener;
        this.onVariant = onVariant;
        this.steps = new DemoSteps(o, listener);
        this.out = o.out();
        this.world = out.resolve("world");
        this.times = readTimes(out.resolve(STAGE_TIMES));
        this.nominalTotal = nominalSeconds();
    }

    /** Runs (or resumes) every variant on {@code o}'s seed into {@code o.out()}; returns their results. */
    public static Map<AblationVariant, VariantResult> run(DemoOptions o, DemoListener listener,
            VariantListener onVariant) throws IOException {
        return new Ablation(o, listener, onVariant).run();
    }

    private Map<AblationVariant, VariantResult> run() throws IOException {
        Files.createDirectories(out);
        Path vision = out.resolve("pretrain_vision");
        if (allDone(AblationVariant.values())) {
            for (AblationVariant v : AblationVariant.values()) {
                results.put(v, VariantResult.read(resultFile(v)));
            }
            listener.message("seed " + o.seed() + ": every variant already done: " + out);
            return results;
        }
        stage("synthetic world", cost("world"), world, () -> steps.world(world));
        String model = ShapesModel.writeFor(out.resolve("shapes_model.json"), Demo.IMAGE_SIZE,
                world.resolve("tokenizer")).toAbsolutePath().toString();
        VisionPretrainResult[] encoder = new VisionPretrainResult[1];
        // no DONE marker: the pre-trainer returns its finished result at once on a rerun
        boolean visionFinished = Files.isRegularFile(vision.resolve(VisionPretrainer.SUMMARY));
        stage("pre-train the image encoder", cost("vision"), visionFinished, null,
                () -> encoder[0] = steps.pretrainVision(world, vision, model));
        String visionInit = "init_vision_from=" + encoder[0].model().toAbsolutePath();
        Path preWeb = out.resolve("pretrain_web");
        stage("pre-train on web + human", cost("pretrain"), preWeb, () -> pretrain(preWeb,
                "[web.json, human.json]", model, visionInit));
        variant(AblationVariant.NONE, null, preWeb, VariantResult.Quality.NONE, model, visionInit);

        Path init = preWeb.resolve("model").toAbsolutePath();
        Path captioner = out.resolve("captioner");
        Path filter = out.resolve("filter");
        Path k1 = out.resolve("capfilt-k1");
        CapfiltReport r1 = capfilt("CapFilt, K = 1 (BLIP's)", k1, 1, 2, List.of(captioner), List.of(filter),
                steps.capfiltOptions(), () -> {
                    fineTuneCaptioner(captioner, init, o.seed());
                    fineTuneFilter(filter, init, o.seed());
                }, AblationVariant.CF, AblationVariant.F_ONLY, AblationVariant.C_ONLY);
        variant(AblationVariant.CF, k1.resolve("bootstrapped.json"), null, quality(r1), model, visionInit);
        variant(AblationVariant.F_ONLY, derived(AblationVariant.F_ONLY, k1, DerivedDataset.KEPT,
                DerivedDataset.NOTHING), null, r1 == null ? null : new VariantResult.Quality(
                        quality(r1).filterPrecision(), quality(r1).filterRecall(), quality(r1).keptWebNoise(), null,
                        0.0), model, visionInit);
        variant(AblationVariant.C_ONLY, derived(AblationVariant.C_ONLY, k1, DerivedDataset.ALL,
                DerivedDataset.ALL), null, r1 == null ? null : new VariantResult.Quality(null, null,
                        r1.noise() == null ? null : VariantResult.Quality.finite(r1.noise().inputNoiseRate()), null,
                        (double) r1.synthetic().total() / r1.imagesScored()), model, visionInit);

        Path beam = out.resolve("capfilt-beam");
        CapfiltReport rb = capfilt("CapFilt, beam search", beam, 1.5, 0, List.of(captioner), List.of(filter),
                steps.capfiltOptions().withGeneration(GenerationOptions.beam(3, 20, 5)), () -> {
                }, AblationVariant.BEAM);
        variant(AblationVariant.BEAM, beam.resolve("bootstrapped.json"), null, quality(rb), model, visionInit);

        Path shared = out.resolve("shared");
        Path sharedRun = out.resolve("capfilt-shared");
        CapfiltReport rs = capfilt("CapFilt, shared captioner + filter", sharedRun, 1, 1, List.of(shared),
                List.of(shared), steps.capfiltOptions(), () -> stage("fine-tune one shared captioner + filter "
                        + "(ITC + ITM + LM)", cost("shared"), shared, () -> steps.train("pretrain",
                                TrainingTask.PRETRAIN, shared, world, List.of("train_file=human.json",
                                        "init_from=" + init, "max_steps=" + o.filterSteps(), "init_lr=5e-4",
                                        "schedule=cosine_step"))), AblationVariant.SHARED);
        variant(AblationVariant.SHARED, sharedRun.resolve("bootstrapped.json"), null, quality(rs), model,
                visionInit);

        Path k5 = out.resolve("capfilt-k5");
        CapfiltReport r5 = capfilt("CapFilt, K = 5", k5, 5, 0, List.of(captioner), List.of(filter),
                steps.capfiltOptions().withGeneration(steps.capfiltOptions().generation().withNumReturnSequences(5)),
                () -> {
                }, AblationVariant.K3, AblationVariant.K5);
        variant(AblationVariant.K3, derived(AblationVariant.K3, k5, DerivedDataset.KEPT,
                DerivedDataset.keptFirstCandidates(3)), null, r5 == null ? null : firstCandidates(r5, 3), model,
                visionInit);
        variant(AblationVariant.K5, k5.resolve("bootstrapped.json"), null, quality(r5), model, visionInit);

        Path captionerB = out.resolve("captioner-b");
        Path filterB = out.resolve("filter-b");
        Path ens = out.resolve("capfilt-ensemble");
        CapfiltReport re = capfilt("CapFilt, 2 captioners + 2 filters", ens, 2, 2, List.of(captioner, captionerB),
                List.of(filter, filterB), steps.capfiltOptions().withFilterRule(FilterRule.MEAN), () -> {
                    fineTuneCaptioner(captionerB, init, o.seed() + ENSEMBLE_SEED_OFFSET);
                    fineTuneFilter(filterB, init, o.seed() + ENSEMBLE_SEED_OFFSET);
                }, AblationVariant.ENSEMBLE);
        variant(AblationVariant.ENSEMBLE, ens.resolve("bootstrapped.json"), null, quality(re), model, visionInit);

        // rounds: round r starts from the model pre-trained on round r-1's data (round 1's is the cf variant's)
        AblationVariant previous = AblationVariant.CF;
        for (AblationVariant v : List.of(AblationVariant.ROUND2, AblationVariant.ROUND3)) {
            Path dir = out.resolve(v.id);
            Path start = variantDir(previous).resolve("pretrain").resolve("model").toAbsolutePath();
            Path c = dir.resolve("captioner");
            Path f = dir.resolve("filter");
            Path run = dir.resolve("capfilt");
            CapfiltReport rr = capfilt(v.label + ": CapFilt", run, 1, 2, List.of(c), List.of(f),
                    steps.capfiltOptions(), () -> {
                        fineTuneCaptioner(c, start, o.seed());
                        fineTuneFilter(f, start, o.seed());
                    }, v);
            variant(v, run.resolve("bootstrapped.json"), null, quality(rr), model, visionInit);
            previous = v;
        }
        return results;
    }

    // ---- stages

    @FunctionalInterface
    private interface Body {
        void run() throws IOException;
    }

    /**
     * A CapFilt run (with the fine-tunes it needs, {@code prepare}) when a variant that uses it is not done yet;
     * null otherwise. Its nominal cost counts {@code units} K = 1 runs.
     */
    private CapfiltReport capfilt(String name, Path run, double units, int fineTunes, List<Path> captioners,
            List<Path> filters, CapfiltOptions options, Body prepare, AblationVariant... users) throws IOException {
        if (allDone(users)) { // skipped with the fine-tunes it would need
            stage += 1 + fineTunes;
            nominalDone += units * cost("capfilt") + fineTunes * cost("finetune");
            listener.message("not needed (its variants are done): " + run);
            return null;
        }
        prepare.run();
        CapfiltReport[] r = new CapfiltReport[1];
        stage(name, units * cost("capfilt"), null, () -> r[0] = steps.capfilt(world, captioners, filters, options,
                run));
        return r[0];
    }

    private void fineTuneCaptioner(Path dir, Path init, long seed) throws IOException {
        stage("fine-tune a captioner (" + out.relativize(dir) + ")", cost("captioner"), dir, () -> steps.train(
                "caption_coco", TrainingTask.CAPTION, dir, world, List.of("train_file=human.json", "init_from="
                        + init, "max_steps=" + o.captionerSteps(), "init_lr=5e-4", "schedule=cosine_step",
                        "seed=" + seed)));
    }

    private void fineTuneFilter(Path dir, Path init, long seed) throws IOException {
        stage("fine-tune a filter (" + out.relativize(dir) + ")", cost("filter"), dir, () -> steps.train(
                "retrieval_coco", TrainingTask.RETRIEVAL, dir, world, List.of("train_file=human.json", "init_from="
                        + init, "max_steps=" + o.filterSteps(), "init_lr=5e-4", "schedule=cosine_step",
                        "seed=" + seed)));
    }

    private void pretrain(Path dir, String trainFile, String model, String visionInit) throws IOException {
        steps.train("pretrain", TrainingTask.PRETRAIN, dir, world, List.of("train_file=" + trainFile,
                "max_steps=" + o.pretrainSteps(), "model_config=" + model, "init_lr=" + Demo.PRETRAIN_LR,
                visionInit));
    }

    /**
     * A variant: pre-train a fresh model on {@code data} (like the demo's final pre-training) and evaluate it, or
     * evaluate {@code model} when given (no CapFilt: the shared web + human model).
     */
    private void variant(AblationVariant v, Path data, Path trained, VariantResult.Quality quality, String model,
            String visionInit) throws IOException {
        Path dir = variantDir(v);
        Path result = resultFile(v);
        if (Files.exists(result)) {
            stage++;
            nominalDone += trained == null ? cost("pretrain") + cost("eval") : cost("eval");
            listener.message("already done: " + dir);
            results.put(v, VariantResult.read(result));
            return;
        }
        stage("variant " + v.id + " (" + v.label + "): pre-train and evaluate", (trained == null
                ? cost("pretrain") : 0) + cost("eval"), null, () -> {
            long t0 = System.nanoTime();
            Path pre = trained;
            if (pre == null) {
                pre = dir.resolve("pretrain");
                Path p = pre;
                if (!Files.exists(pre.resolve("DONE"))) {
                    pretrain(p, data.toAbsolutePath().toString(), model, visionInit);
                    AtomicFiles.writeString(pre.resolve("DONE"), "done\n");
                }
            }
            ModelScores m = steps.evaluate(v.label, pre.resolve("model"), world, dir.resolve("eval"));
            VariantResult r = VariantResult.of(v, o.seed(), m, quality, (System.nanoTime() - t0) / 1e9);
            r.write(result);
            results.put(v, r);
            listener.message(String.format(Locale.ROOT, "%s: TR@1 %.1f  IR@1 %.1f  BLEU-4 %.1f  CIDEr %.1f",
                    v.label, m.trR1(), m.irR1(), 100 * m.bleu4(), 100 * m.cider()));
            onVariant.finished(r);
        });
    }

    /** Data picked from a CapFilt run's records into {@code variants/ID/data.json} (once). */
    private Path derived(AblationVariant v, Path run, Predicate<JsonNode> web, Predicate<JsonNode> synthetic)
            throws IOException {
        Path data = variantDir(v).resolve("data.json");
        if (!Files.exists(resultFile(v)) && !Files.exists(data)) {
            long n = DerivedDataset.write(run, web, synthetic, data);
            listener.message(v.id + ": " + n + " pairs picked from " + out.relativize(run));
        }
        return data;
    }

    private void stage(String name, double nominal, Path dir, Body body) throws IOException {
        stage(name, nominal, false, dir, body);
    }

    /** @param finished the body returns an earlier run's result at once (left out of the speed estimate) */
    private void stage(String name, double nominal, boolean finished, Path dir, Body body) throws IOException {
        stage++;
        listener.stage(stage, STAGES, "seed " + o.seed() + ": " + name);
        Path done = dir == null ? null : dir.resolve("DONE");
        if (done != null && Files.exists(done)) {
            listener.message("already done: " + dir);
            nominalDone += nominal;
            return;
        }
        long t0 = System.nanoTime();
        body.run();
        double s = (System.nanoTime() - t0) / 1e9;
        if (finished) {
            nominalDone += nominal;
            return;
        }
        if (done != null) {
            AtomicFiles.writeString(done, String.format(Locale.ROOT, "%.1f s%n", s));
        }
        nominalDone += nominal;
        nominalRun += nominal;
        secondsRun += s;
        times.put(name, s);
        AtomicFiles.writeString(out.resolve(STAGE_TIMES), JSON.writeValueAsString(times));
        // ETA: the remaining stages' nominal cost, scaled by how this machine did on the stages run so far
        double rate = nominalRun > 0 ? secondsRun / nominalRun : 1;
        listener.message(String.format(Locale.ROOT, "seed %d: stage %d/%d took %.0f s; %.0f%% of the seed's "
                + "work done, elapsed %.1f min, ETA %.1f min (at %.2f× the nominal stage times)", o.seed(), stage,
                STAGES, s, 100 * Math.min(1, nominalDone / nominalTotal), secondsRun / 60,
                Math.max(0, nominalTotal - nominalDone) * rate / 60, rate));
    }

    // ---- quality figures

    private static VariantResult.Quality quality(CapfiltReport r) {
        return r == null ? null : VariantResult.Quality.of(r);
    }

    /** What the first k candidates of a K-caption run give (candidate c is the same caption whatever K is). */
    private static VariantResult.Quality firstCandidates(CapfiltReport r, int k) {
        VariantResult.Quality all = VariantResult.Quality.of(r);
        CapfiltReport.SourceCounts s = r.syntheticFirstCandidates(k);
        return new VariantResult.Quality(all.filterPrecision(), all.filterRecall(), all.keptWebNoise(),
                VariantResult.Quality.finite(s.removedFraction()), (double) s.kept() / r.imagesScored());
    }

    // ---- bookkeeping

    private Path variantDir(AblationVariant v) {
        return out.resolve("variants").resolve(v.id);
    }

    private Path resultFile(AblationVariant v) {
        return variantDir(v).resolve(VariantResult.FILE);
    }

    private boolean allDone(AblationVariant... vs) {
        for (AblationVariant v : vs) {
            if (!Files.exists(resultFile(v))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Double> readTimes(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new LinkedHashMap<>();
        }
        return new LinkedHashMap<>(JSON.readValue(file.toFile(), new TypeReference<Map<String, Double>>() {
        }));
    }

    /** Stage times measured by an earlier run into {@code OUT/stage-times.json} (name → seconds). */
    public static Map<String, Double> stageTimes(Path seedOut) throws IOException {
        return readTimes(seedOut.resolve(STAGE_TIMES));
    }

    /**
     * Rough seconds per stage on one thread of the 2-core development machine, from the full-scale demo's stage times
     * (pre-training 2,500 steps ≈ 240 s, image encoder 6,000 steps ≈ 136 s, CapFilt of 20,000 images ≈ 55 s on one
     * core); only the ETA uses them, scaled by the speed measured on the stages run so far.
     */
    private double cost(String kind) {
        return switch (kind) {
            case "world" -> 0.001 * (o.webSize() + o.humanSize() + o.testSize() + o.visionSize());
            case "vision" -> 0.023 * o.visionSteps();
            case "pretrain" -> 0.096 * o.pretrainSteps();
            case "shared" -> 0.096 * o.filterSteps();
            case "captioner" -> 0.06 * o.captionerSteps();
            case "filter" -> 0.05 * o.filterSteps();
            case "finetune" -> 0.5 * (0.06 * o.captionerSteps() + 0.05 * o.filterSteps());
            case "capfilt" -> 0.003 * o.webSize();
            case "eval" -> 0.1 * o.testSize();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private double nominalSeconds() {
        // world, vision, 11 pre-trainings + evaluations (none has no pre-training of its own), 4 captioners,
        // 4 filters, the shared fine-tune, CapFilt runs K=1, beam (1.5), shared, K=5 (5), ensemble (2), rounds 2, 3
        return cost("world") + cost("vision") + 11 * cost("pretrain") + 11 * cost("eval") + 4 * cost("captioner")
                + 4 * cost("filter") + cost("shared") + (1 + 1.5 + 1 + 5 + 2 + 1 + 1) * cost("capfilt");
    }
}
