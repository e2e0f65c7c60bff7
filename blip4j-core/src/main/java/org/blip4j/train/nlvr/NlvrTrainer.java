package org.blip4j.train.nlvr;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.blip4j.checkpoint.HfModelDirectory;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.checkpoint.Safetensors;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.ImagePreprocessor;
import org.blip4j.image.TrainTransform;
import org.blip4j.model.NlvrModel;
import org.blip4j.model.NlvrModelFiles;
import org.blip4j.nn.Parameter;
import org.blip4j.task.Nlvr;
import org.blip4j.task.NlvrAnnotations;
import org.blip4j.task.NlvrEvaluator;
import org.blip4j.text.TokenBatch;
import org.blip4j.train.AdamW;
import org.blip4j.train.Gradients;
import org.blip4j.train.LrSchedule;
import org.blip4j.util.AtomicFiles;

/**
 * NLVR2 fine-tuning as {@code train_nlvr.py}: AdamW (weight decay on every parameter), cosine learning rate per
 * epoch, cross-entropy of {@code cls_head}'s logits; the dataset's augmentation (training transform of both images,
 * pre_caption(s, 40), image swap with left/right exchange). After every epoch the model is written to
 * {@code out/model} (loadable by {@code blip nlvr}) and the optimiser state to {@code out/state}; a rerun with the
 * same {@code out} resumes after the last finished epoch.
 */
public final class NlvrTrainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Progress callbacks (all optional). */
    public interface Listener {
        default void onStart(long totalSteps, long doneSteps) {
        }

        default void onStep(long step, double loss, double lr) {
        }

        default void onMessage(String message) {
        }
    }

    /** @param valAccuracy accuracy on the val files after each epoch run now (empty without val files) */
    public record Result(Path modelDir, int epochs, List<Double> valAccuracy, double lastEpochLoss, int skipped) {
    }

    private NlvrTrainer() {
    }

    public static Result run(NlvrTrainConfig cfg, Path out, NDManager manager, Listener log) throws IOException {
        List<NlvrAnnotations.Item> train = new ArrayList<>();
        for (Path f : cfg.trainFiles()) {
            train.addAll(NlvrAnnotations.read(f, cfg.imageRoot()));
        }
        List<NlvrAnnotations.Item> val = new ArrayList<>();
        for (Path f : cfg.valFiles()) {
            val.addAll(NlvrAnnotations.read(f, cfg.imageRoot()));
        }
        Path modelDir = out.resolve("model");
        Path stateDir = out.resolve("state");
        Path stateFile = stateDir.resolve("state.json");
        boolean resume = Files.isRegularFile(stateFile);
        NlvrInit init = resume ? NlvrInit.resume(modelDir, cfg, manager) : NlvrInit.create(cfg, manager);
        NlvrModel model = init.model();
        try {
            log.onMessage(init.description());
            List<Parameter> params = new ArrayList<>(model.parameters().parameters().values());
            AdamW optimizer = AdamW.withWeightDecay(cfg.weightDecay());
            int startEpoch = 0;
            if (resume) {
                var state = JSON.readTree(stateFile.toFile());
                startEpoch = state.path("epochs_done").asInt();
                optimizer.load(Safetensors.readOrThrow(stateDir.resolve("optimizer.safetensors")),
                        state.path("optimizer_steps").asLong(), manager);
                log.onMessage("resuming after epoch " + startEpoch + " from " + out);
            }
            Gradients.enable(params);
            LrSchedule schedule = LrSchedule.cosinePerEpoch(cfg.initLr(), cfg.minLr(), cfg.maxEpoch());
            TrainTransform transform = new TrainTransform(cfg.imageSize(), cfg.minScale(), cfg.randAugment(),
                    cfg.hflip());
            Nlvr api = Nlvr.of(model, init.tokenizer(), ImagePreprocessor.blipDefaults(cfg.imageSize()));
            long perEpoch = (train.size() + cfg.batchSize() - 1) / cfg.batchSize();
            log.onStart(perEpoch * cfg.maxEpoch(), perEpoch * startEpoch);
            List<Double> accuracies = new ArrayList<>();
            double epochLoss = Double.NaN;
            int skipped = 0;
            for (int epoch = startEpoch; epoch < cfg.maxEpoch(); epoch++) {
                double lr = schedule.lr(epoch, 0, perEpoch);
                Random rnd = new Random(cfg.seed() * 1_000_003L + epoch);
                List<NlvrAnnotations.Item> order = new ArrayList<>(train);
                Collections.shuffle(order, rnd);
                double lossSum = 0;
                int batches = 0;
                for (int start = 0; start < order.size(); start += cfg.batchSize()) {
                    List<NlvrAnnotations.Item> batch = order.subList(start, Math.min(order.size(),
                            start + cfg.batchSize()));
                    Step s = step(model, api, batch, transform, rnd, manager, params, optimizer, lr);
                    skipped += s.skipped();
                    if (s.loss() == s.loss()) {
                        lossSum += s.loss();
                        batches++;
                    }
                    log.onStep(epoch * perEpoch + start / cfg.batchSize() + 1, s.loss(), lr);
                }
                epochLoss = lossSum / Math.max(1, batches);
                String line = String.format(java.util.Locale.ROOT, "epoch %d: loss %.4f lr %.2e", epoch, epochLoss, lr);
                if (!val.isEmpty()) {
                    NlvrEvaluator.Result r = NlvrEvaluator.evaluate(api, val, 64, true, null);
                    accuracies.add(r.accuracy());
                    line += String.format(java.util.Locale.ROOT, " val accuracy %.4f (%d pairs)", r.accuracy(),
                            r.labelled());
                }
                log.onMessage(line);
                save(model, init.tokenizerDir(), modelDir, stateDir, optimizer, epoch + 1);
            }
            if (skipped > 0) {
                log.onMessage(skipped + " training pairs skipped (unreadable images)");
            }
            return new Result(modelDir, cfg.maxEpoch() - startEpoch, accuracies, epochLoss, skipped);
        } finally {
            model.close();
        }
    }

    private record Step(double loss, int skipped) {
    }

    private static Step step(NlvrModel model, Nlvr api, List<NlvrAnnotations.Item> batch, TrainTransform transform,
            Random rnd, NDManager manager, List<Parameter> params, AdamW optimizer, double lr) {
        int s = transform.imageSize();
        List<float[]> first = new ArrayList<>();
        List<float[]> second = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        List<Long> targets = new ArrayList<>();
        int skipped = 0;
        for (NlvrAnnotations.Item it : batch) {
            float[] a;
            float[] b;
            try {
                a = transform.apply(ImageLoader.load(it.image0()), rnd);
                b = transform.apply(ImageLoader.load(it.image1()), rnd);
            } catch (RuntimeException e) {
                skipped++;
                continue;
            }
            String sentence = Nlvr.sentence(it.sentence(), true);
            if (rnd.nextDouble() >= 0.5) {
                float[] t = a;
                a = b;
                b = t;
                sentence = NlvrSwap.exchangeLeftRight(sentence);
            }
            first.add(a);
            second.add(b);
            sentences.add(sentence);
            targets.add(Boolean.TRUE.equals(it.label()) ? 1L : 0L);
        }
        if (first.isEmpty()) {
            return new Step(Double.NaN, skipped);
        }
        TokenBatch tokens = api.tokenize(sentences, false);
        double loss;
        try (NDManager m = manager.newSubManager()) {
            NDArray p0 = m.create(concat(first), new Shape(first.size(), 3, s, s));
            NDArray p1 = m.create(concat(second), new Shape(second.size(), 3, s, s));
            NDArray ids = m.create(tokens.flatIds(), new Shape(tokens.shape()));
            NDArray mask = m.create(tokens.flatAttentionMask(), new Shape(tokens.shape()));
            NDArray y = m.create(targets.stream().mapToLong(Long::longValue).toArray());
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray l = NlvrLoss.crossEntropy(model.logits(ids, mask, p0, p1, true), y);
                loss = l.getFloat();
                gc.backward(l);
            }
            optimizer.step(params, lr, manager);
            Gradients.clear(params);
        }
        return new Step(loss, skipped);
    }

    private static float[] concat(List<float[]> rows) {
        int n = rows.get(0).length;
        float[] all = new float[rows.size() * n];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, all, i * n, n);
        }
        return all;
    }

    /** Model (with tokenizer files) and optimiser state, each directory replaced as a whole. */
    private static void save(NlvrModel model, Path tokenizerDir, Path modelDir, Path stateDir, AdamW optimizer,
            int epochsDone) throws IOException {
        Path tmpModel = fresh(modelDir.resolveSibling(".model.tmp"));
        NlvrModelFiles.save(model, tmpModel);
        for (String name : HfModelDirectory.TOKENIZER_FILES) {
            Path f = tokenizerDir.resolve(name);
            if (Files.isRegularFile(f)) {
                Files.copy(f, tmpModel.resolve(name));
            }
        }
        Path tmpState = fresh(stateDir.resolveSibling(".state.tmp"));
        Map<String, RawTensor> opt = optimizer.stateTensors();
        Safetensors.write(tmpState.resolve("optimizer.safetensors"), opt, Map.of("format", "pt"));
        AtomicFiles.writeString(tmpState.resolve("state.json"), JSON.writeValueAsString(Map.of("epochs_done",
                epochsDone, "optimizer_steps", optimizer.steps())));
        // the model first: a crash between the two renames leaves a newer model with an older state, and the
        // resumed run repeats that epoch from the newer weights, which is still a valid continuation
        replace(tmpModel, modelDir);
        replace(tmpState, stateDir);
    }

    private static Path fresh(Path dir) throws IOException {
        delete(dir);
        Files.createDirectories(dir);
        return dir;
    }

    private static void replace(Path tmp, Path target) throws IOException {
        Path old = target.resolveSibling("." + target.getFileName() + ".old");
        delete(old);
        if (Files.exists(target)) {
            Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        delete(old);
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
