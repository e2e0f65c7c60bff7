package org.blip4j.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.blip4j.data.Batch;
import org.blip4j.data.DataLoader;
import org.blip4j.data.Epoch;
import org.blip4j.data.ResumePoint;
import org.blip4j.data.Sample;
import org.blip4j.data.SampleTransform;
import org.blip4j.image.TrainTransform;
import org.blip4j.nn.Parameter;
import org.blip4j.util.AtomicFiles;
import org.blip4j.util.RunDirectoryLock;
import org.blip4j.util.MemoryStats;

/**
 * The training loop shared by pre-training and fine-tuning: data → micro-steps with gradient accumulation →
 * optional global-norm clipping → AdamW with the task's schedule → metrics ({@code RUN/metrics.jsonl}),
 * checkpoints every N steps and at each epoch end ({@code RUN/model/} is always the latest loadable model),
 * exact resume, and a loss-curve plot at the end.
 */
public final class Trainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What a finished run left: the run directory, the latest loadable model ({@code RUN/model/}), the steps
     * taken, the metrics file and the loss plot.
     */
    public record Result(Path runDir, Path modelDir, long steps, Path metricsFile, Path lossPlot) {
    }

    private Trainer() {
    }

    public static Result run(TrainConfig cfg, TrainingTask task, Path runDir, boolean resume, Path baseDir,
            NDManager manager, TrainingListener listener) throws IOException {
        try (RunDirectoryLock lock = RunDirectoryLock.acquire(runDir)) {
            return runLocked(cfg, task, runDir, resume, baseDir, manager, listener);
        }
    }

    private static Result runLocked(TrainConfig cfg, TrainingTask task, Path runDir, boolean resume, Path baseDir,
            NDManager manager, TrainingListener listener) throws IOException {
        cfg.checkKeys(task);
        AtomicFiles.writeString(runDir.resolve("config.json"), cfg.toJson());
        long seed = cfg.integer("seed", 42);
        int batchSize = cfg.integer("batch_size_train", 32);
        int accum = Math.max(1, cfg.integer("grad_accum_steps", 1));
        int maxEpoch = cfg.integer("max_epoch", 1);
        double clip = cfg.number("clip_grad_norm", 0);
        int saveEvery = cfg.integer("save_every_steps", 0);
        int keepLast = cfg.integer("keep_last", 3);
        double alphaMax = cfg.number("alpha", 0.4);
        Path metricsFile = runDir.resolve("metrics.jsonl");

        try (TrainingModel tm = TrainingModel.create(cfg, task, baseDir, manager, listener)) {
            List<Parameter> params = tm.trainable();
            AdamW optimizer = AdamW.withWeightDecay(cfg.number("weight_decay", 0.05));
            TrainState state = new TrainState(0, 0, 0, ResumePoint.startOf(0), 0);
            Optional<Path> last = resume ? TrainCheckpoints.latest(runDir) : Optional.empty();
            if (last.isPresent()) {
                state = TrainCheckpoints.load(last.get(), tm, optimizer);
                truncateMetrics(metricsFile, state.step());
                listener.onMessage("resumed from " + last.get() + " at step " + state.step());
            } else {
                Files.deleteIfExists(metricsFile);
            }
            // after any load: loading replaces the parameter arrays
            Gradients.enable(params);
            int imageSize = tm.online().config().vision().imageSize();
            TrainTransform transform = new TrainTransform(imageSize, cfg.number("min_scale",
                    task == TrainingTask.PRETRAIN ? 0.2 : 0.5), cfg.bool("randaugment", true), cfg.bool("hflip", true));
            try (EpochLoaders loaders = new EpochLoaders(cfg, task, baseDir, laionShards(cfg, baseDir),
                    (List<Sample> s) -> DataLoader.builder(s, SampleTransform.train(transform))
                            .batchSize(batchSize).seed(seed).workers(cfg.integer("num_workers", 2)).shuffle(true)
                            .dropLast(true).onEpochEnd(listener::onEpochEnd).build(), listener)) {
                DataLoader firstLoader = loaders.forEpoch(state.resume().epoch());
                TrainingSet data = loaders.data();
                List<Sample> samples = data.samples();
                long batchesPerEpoch = firstLoader.nominalBatches();
                long stepsPerEpoch = batchesPerEpoch / accum;
                if (stepsPerEpoch == 0) {
                    throw new IllegalArgumentException("batch_size_train " + batchSize + " × grad_accum_steps "
                            + accum + " exceeds the " + samples.size() + " training samples");
                }
                // with LAION shards the epochs differ in length: the first one's stands for all in these estimates
                long maxSteps = cfg.has("max_steps") ? cfg.integer("max_steps", 0) : stepsPerEpoch * maxEpoch;
                maxEpoch = (int) Math.max(maxEpoch, (maxSteps + stepsPerEpoch - 1) / stepsPerEpoch);
                if (!cfg.has("max_steps") && loaders.sharded()) {
                    maxSteps = Long.MAX_VALUE; // the epochs bound the run
                }
                LrSchedule schedule = schedule(cfg, task, maxEpoch, maxSteps);
                TrainingStep stepper = new TrainingStep(tm, cfg, data);
                listener.onStart(maxSteps == Long.MAX_VALUE ? stepsPerEpoch * maxEpoch : maxSteps, state.step());
                listener.onMessage(String.format("%s: %d samples, %d steps/epoch, batch %d × %d accumulation",
                        task.name().toLowerCase(), samples.size(), stepsPerEpoch, batchSize, accum));

                long step = state.step();
                long micro = state.microStep();
                Map<String, Double> sums = new LinkedHashMap<>();
                int inStep = 0;
                long stepStart = System.nanoTime();
                boolean savedAtStep = false;
                ResumePoint next = state.resume();
                for (int epoch = state.resume().epoch(); epoch < maxEpoch && step < maxSteps; epoch++) {
                    boolean resuming = epoch == state.resume().epoch() && state.resume().position() > 0;
                    DataLoader loader = loaders.forEpoch(epoch);
                    batchesPerEpoch = loader.nominalBatches();
                    stepsPerEpoch = Math.max(1, batchesPerEpoch / accum);
                    try (Epoch ep = resuming ? loader.resume(state.resume()) : loader.epoch(epoch)) {
                        for (Batch batch : ep) {
                            double alpha = alpha(task, alphaMax, epoch, batch.index(), batchesPerEpoch);
                            Map<String, Double> losses = stepper.run(batch, micro, alpha, accum);
                            requireFinite(losses, step + 1, epoch, runDir);
                            micro++;
                            inStep++;
                            losses.forEach((k, v) -> sums.merge(k, v / accum, Double::sum));
                            if (inStep < accum) {
                                continue;
                            }
                            double lr = schedule.lr(epoch, step, stepsPerEpoch);
                            double norm = clip > 0 ? Gradients.clipGlobalNorm(params, clip) : Double.NaN;
                            optimizer.step(params, lr, manager);
                            Gradients.clear(params);
                            clampTemperature(tm);
                            step++;
                            double secs = (System.nanoTime() - stepStart) / 1e9;
                            Map<String, Double> stepLosses = new LinkedHashMap<>(sums);
                            stepLosses.put("loss", sums.values().stream().mapToDouble(Double::doubleValue).sum());
                            StepMetrics sm = new StepMetrics(step, epoch, lr, stepLosses,
                                    batchSize * accum / Math.max(secs, 1e-9), MemoryStats.rssMiB(), norm);
                            appendMetrics(metricsFile, sm);
                            listener.onStep(sm);
                            sums.clear();
                            inStep = 0;
                            next = batch.next();
                            savedAtStep = false;
                            if (saveEvery > 0 && step % saveEvery == 0) {
                                save(runDir, tm, optimizer, step, micro, epoch, next, cfg, keepLast, listener);
                                savedAtStep = true;
                            }
                            stepStart = System.nanoTime();
                            if (step >= maxSteps) {
                                break;
                            }
                        }
                    }
                    if (inStep > 0) {
                        // a partial accumulation at the end of an epoch is dropped, like drop_last
                        Gradients.clear(params);
                        sums.clear();
                        inStep = 0;
                    }
                    if (!savedAtStep && step > state.step()) {
                        ResumePoint rp = step >= maxSteps ? next : ResumePoint.startOf(epoch + 1);
                        save(runDir, tm, optimizer, step, micro, epoch, rp, cfg, keepLast, listener);
                        savedAtStep = true;
                    }
                }
                Path plot = runDir.resolve("loss.png");
                LossPlot.write(metricsFile, plot, task.name().toLowerCase() + " loss");
                return new Result(runDir, runDir.resolve("model"), step, metricsFile, plot);
            }
        }
    }

    /**
     * The LAION shards of {@code laion_path} (the original's {@code glob(laion_path/*.json)}, sorted here so that
     * the epoch → shard map is the same on every machine); empty when laion_path is '' or absent.
     */
    static List<Path> laionShards(TrainConfig cfg, Path baseDir) throws IOException {
        String lp = cfg.string("laion_path", "");
        if (lp.isBlank()) {
            return List.of();
        }
        Path dir = baseDir.resolve(lp);
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(cfg.source() + ": laion_path " + dir + " is not a directory");
        }
        List<Path> shards;
        try (var s = Files.list(dir)) {
            shards = s.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .sorted().toList();
        }
        if (shards.isEmpty()) {
            throw new IllegalArgumentException(cfg.source() + ": laion_path " + dir + " holds no *.json shard");
        }
        return shards;
    }

    /**
     * The data loader of each epoch: one for the whole run; with LAION shards, {@code train_file} plus shard
     * {@code epoch mod #shards}, as the original's {@code pretrain_dataset.reload_laion(epoch)}, rebuilt when the
     * shard changes.
     */
    static final class EpochLoaders implements AutoCloseable {
        private final TrainConfig cfg;
        private final TrainingTask task;
        private final Path baseDir;
        private final List<Path> shards;
        private final java.util.function.Function<List<Sample>, DataLoader> build;
        private final TrainingListener listener;
        private int shard = Integer.MIN_VALUE;
        private DataLoader loader;
        private TrainingSet data;

        EpochLoaders(TrainConfig cfg, TrainingTask task, Path baseDir, List<Path> shards,
                java.util.function.Function<List<Sample>, DataLoader> build, TrainingListener listener) {
            this.cfg = cfg;
            this.task = task;
            this.baseDir = baseDir;
            this.shards = shards;
            this.build = build;
            this.listener = listener;
        }

        boolean sharded() {
            return !shards.isEmpty();
        }

        DataLoader forEpoch(int epoch) throws IOException {
            int s = shards.isEmpty() ? -1 : epoch % shards.size();
            if (loader == null || s != shard) {
                close();
                data = TrainingData.load(cfg, task, baseDir, s < 0 ? List.of() : List.of(shards.get(s)));
                loader = build.apply(data.samples());
                shard = s;
                if (s >= 0) {
                    listener.onMessage("epoch " + epoch + ": LAION shard " + shards.get(s).getFileName() + " ("
                            + (s + 1) + " of " + shards.size() + "), " + data.samples().size() + " samples in all");
                }
            }
            return loader;
        }

        TrainingSet data() {
            return data;
        }

        @Override
        public void close() {
            if (loader != null) {
                loader.close();
                loader = null;
            }
        }
    }

    private static void save(Path runDir, TrainingModel tm, AdamW optimizer, long step, long micro, int epoch,
            ResumePoint next, TrainConfig cfg, int keepLast, TrainingListener listener) throws IOException {
        int ptr = tm.queue() == null ? 0 : tm.queue().ptr();
        Path p = TrainCheckpoints.save(runDir, tm, optimizer, new TrainState(step, micro, epoch, next, ptr), cfg,
                keepLast);
        listener.onMessage("checkpoint " + p.getFileName());
    }

    /** The alpha ramps of pretrain.py (two epochs) and train_retrieval.py (first epoch). */
    static double alpha(TrainingTask task, double alpha, int epoch, int batchIndex, long perEpoch) {
        return switch (task) {
            case PRETRAIN -> alpha * Math.min(1.0, (double) (epoch * perEpoch + batchIndex) / (2.0 * perEpoch));
            case RETRIEVAL -> epoch > 0 ? alpha : alpha * Math.min(1.0, (double) batchIndex / perEpoch);
            case CAPTION, VQA -> 0;
        };
    }

    static LrSchedule schedule(TrainConfig cfg, TrainingTask task, int maxEpoch, long maxSteps) {
        double init = cfg.number("init_lr", task == TrainingTask.PRETRAIN ? 3e-4 : 1e-5);
        double min = cfg.number("min_lr", task == TrainingTask.PRETRAIN ? 1e-6 : 0);
        String kind = cfg.string("schedule", task == TrainingTask.PRETRAIN ? "step" : "cosine_epoch");
        return switch (kind) {
            case "step" -> LrSchedule.stepDecayWithWarmup(init, min, cfg.number("lr_decay_rate", 0.9),
                    cfg.number("warmup_lr", 1e-6), cfg.integer("warmup_steps", 3000));
            case "cosine_epoch" -> LrSchedule.cosinePerEpoch(init, min, maxEpoch);
            case "cosine_step" -> LrSchedule.cosinePerStep(init, min, cfg.integer("warmup_steps", 0), maxSteps);
            default -> throw new IllegalArgumentException(cfg.source() + ": unknown schedule '" + kind
                    + "' (step, cosine_epoch, cosine_step)");
        };
    }

    /** Stops before a non-finite loss reaches the optimiser, so no NaN weights are ever saved. */
    static void requireFinite(Map<String, Double> losses, long step, int epoch, Path runDir) {
        for (Map.Entry<String, Double> e : losses.entrySet()) {
            if (!Double.isFinite(e.getValue())) {
                throw new IllegalStateException("training diverged at step " + step + " (epoch " + epoch + "): "
                        + e.getKey() + " = " + e.getValue() + " " + losses + "; checkpoints in "
                        + runDir.resolve("checkpoints") + " are intact — lower init_lr or set clip_grad_norm");
            }
        }
    }

    static void clampTemperature(TrainingModel tm) {
        if (tm.online().has(org.blip4j.model.Part.TEMP)) {
            NoGrad.run(() -> {
                var t = tm.online().parameters().get("temp").array();
                float v = t.getFloat();
                float c = Math.max(0.001f, Math.min(0.5f, v));
                if (c != v) {
                    t.muli(0).addi(c);
                }
            });
        }
    }

    public static void appendMetrics(Path file, StepMetrics m) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("step", m.step());
        n.put("epoch", m.epoch());
        n.put("lr", m.lr());
        m.losses().forEach(n::put);
        n.put("samples_per_s", m.samplesPerSecond());
        n.put("rss_mib", m.rssMiB());
        if (!Double.isNaN(m.gradNorm())) {
            n.put("grad_norm", m.gradNorm());
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            w.write(JSON.writeValueAsString(n));
            w.write('\n');
        }
    }

    /** On resume, drop metric lines of steps after the checkpoint (they will be recomputed). */
    static void truncateMetrics(Path file, long step) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        StringBuilder kept = new StringBuilder();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank() && JSON.readTree(line).path("step").asLong() <= step) {
                kept.append(line).append('\n');
            }
        }
        AtomicFiles.writeString(file, kept.toString());
    }
}
