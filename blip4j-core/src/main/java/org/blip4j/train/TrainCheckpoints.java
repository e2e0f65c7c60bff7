package org.blip4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.checkpoint.Safetensors;
import org.blip4j.data.ResumePoint;
import org.blip4j.model.BlipModelLoader;
import org.blip4j.model.BlipModelSaver;
import org.blip4j.nn.Parameter;
import org.blip4j.util.AtomicFiles;

/**
 * Training checkpoints under {@code RUN/checkpoints/step-NNNNNNNN/}: {@code model/} (a loadable HF-layout model),
 * {@code optimizer.safetensors}, {@code momentum.safetensors} (momentum encoders and queues) and
 * {@code state.json}. Each is written into a hidden directory that is renamed into place, so a crash leaves either
 * the old or the new checkpoint; {@code RUN/model/} is then replaced the same way. Only the last K are kept.
 */
final class TrainCheckpoints {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "step-";

    private TrainCheckpoints() {
    }

    public static Path save(Path runDir, TrainingModel tm, AdamW optimizer, TrainState state, TrainConfig cfg,
            int keepLast) throws IOException {
        Path root = runDir.resolve("checkpoints");
        Files.createDirectories(root);
        String name = String.format("%s%08d", PREFIX, state.step());
        Path target = root.resolve(name);
        Path tmp = root.resolve("." + name + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        tm.saveModel(tmp.resolve("model"));
        Safetensors.write(tmp.resolve("optimizer.safetensors"), optimizer.stateTensors(),
                Map.of("steps", Long.toString(optimizer.steps())));
        if (tm.momentum() != null) {
            Map<String, RawTensor> m = new LinkedHashMap<>();
            for (Parameter p : tm.momentum().model().parameters().parameters().values()) {
                m.put(p.name(), BlipModelSaver.toRaw(p.array()));
            }
            m.put("image_queue", BlipModelSaver.toRaw(tm.queue().imageQueue()));
            m.put("text_queue", BlipModelSaver.toRaw(tm.queue().textQueue()));
            m.put("idx_queue", longs(tm.queue().idxQueue()));
            Safetensors.write(tmp.resolve("momentum.safetensors"), m, Map.of("queue_ptr",
                    Integer.toString(tm.queue().ptr())));
        }
        ObjectNode s = JSON.createObjectNode();
        s.put("step", state.step());
        s.put("micro_step", state.microStep());
        s.put("epoch", state.epoch());
        ObjectNode r = s.putObject("resume");
        r.put("epoch", state.resume().epoch());
        r.put("batch_index", state.resume().batchIndex());
        r.put("position", state.resume().position());
        s.put("queue_ptr", state.queuePtr());
        s.put("optimizer_steps", optimizer.steps());
        s.set("config", cfg.json());
        AtomicFiles.writeString(tmp.resolve("state.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s));
        deleteTree(target);
        AtomicFiles.moveAtomically(tmp, target);
        publishModel(runDir, target.resolve("model"));
        prune(root, keepLast);
        return target;
    }

    private static RawTensor longs(ai.djl.ndarray.NDArray a) {
        return RawTensor.ofLongs(a.toLongArray(), a.getShape().getShape());
    }

    /** Replaces RUN/model with a copy of the checkpoint's model directory. */
    static void publishModel(Path runDir, Path modelDir) throws IOException {
        Path tmp = runDir.resolve(".model.tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        try (Stream<Path> files = Files.list(modelDir)) {
            for (Path f : files.toList()) {
                Files.copy(f, tmp.resolve(f.getFileName()));
            }
        }
        Path live = runDir.resolve("model");
        Path old = runDir.resolve(".model.old");
        deleteTree(old);
        if (Files.exists(live)) {
            AtomicFiles.moveAtomically(live, old);
        }
        AtomicFiles.moveAtomically(tmp, live);
        deleteTree(old);
    }

    static void prune(Path root, int keepLast) throws IOException {
        List<Path> all = list(root);
        for (int i = 0; i < all.size() - Math.max(1, keepLast); i++) {
            deleteTree(all.get(i));
        }
    }

    /** Complete checkpoints, oldest first. */
    static List<Path> list(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith(PREFIX))
                    .filter(p -> Files.isRegularFile(p.resolve("state.json")))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    public static Optional<Path> latest(Path runDir) throws IOException {
        List<Path> all = list(runDir.resolve("checkpoints"));
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /** Restores weights, optimiser, momentum and queues into {@code tm}; returns the counters. */
    public static TrainState load(Path ckpt, TrainingModel tm, AdamW optimizer) throws IOException {
        JsonNode s = JSON.readTree(ckpt.resolve("state.json").toFile());
        Map<String, RawTensor> weights = Safetensors.read(ckpt.resolve("model").resolve("model.safetensors"));
        BlipModelLoader.assign(tm.online().parameters(), weights, tm.online().manager(), ckpt.toString());
        Map<String, RawTensor> opt = Safetensors.read(ckpt.resolve("optimizer.safetensors"));
        optimizer.load(opt, s.path("optimizer_steps").asLong(), tm.online().manager());
        int ptr = s.path("queue_ptr").asInt();
        if (tm.momentum() != null) {
            Map<String, RawTensor> m = Safetensors.read(ckpt.resolve("momentum.safetensors"));
            tm.momentum().load(m, tm.online().manager());
            var mgr = tm.online().manager();
            tm.queue().restore(BlipModelLoader.toNDArray(m.get("image_queue"), mgr),
                    BlipModelLoader.toNDArray(m.get("text_queue"), mgr),
                    mgr.create(m.get("idx_queue").toLongs(), new ai.djl.ndarray.types.Shape(m.get("idx_queue").shape())),
                    ptr);
        }
        JsonNode r = s.path("resume");
        return new TrainState(s.path("step").asLong(), s.path("micro_step").asLong(), s.path("epoch").asInt(),
                new ResumePoint(r.path("epoch").asInt(), r.path("batch_index").asInt(), r.path("position").asInt()),
                ptr);
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }
}
