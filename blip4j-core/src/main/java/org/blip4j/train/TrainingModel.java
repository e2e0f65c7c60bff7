package org.blip4j.train;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.checkpoint.CheckpointUrlCache;
import org.blip4j.checkpoint.HfModelDirectory;
import org.blip4j.checkpoint.OriginalCheckpointRenamer;
import org.blip4j.checkpoint.TorchCheckpointReader;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipConfigJson;
import org.blip4j.model.BlipModel;
import org.blip4j.model.BlipModelLoader;
import org.blip4j.model.BlipModelSaver;
import org.blip4j.model.ModelInitializer;
import org.blip4j.model.ModelPresets;
import org.blip4j.model.Part;
import org.blip4j.nn.Parameter;
import org.blip4j.task.ModelOptions;
import org.blip4j.task.ModelResolver;
import org.blip4j.text.BlipTokenizer;
import org.blip4j.text.TokenizerFiles;
import org.blip4j.util.AtomicFiles;

/**
 * Everything a training run holds besides data: the online model (pre-training layout with shared text weights,
 * or a task model), momentum encoders and feature queues when the objective uses them, and the tokenizer.
 * Built from scratch ({@code model_config}) or from a checkpoint ({@code init_from}: any model the inference API
 * loads; only the parts this task needs are taken, with position-embedding interpolation). From scratch, the image
 * encoder alone may start from a checkpoint ({@code init_vision_from}: e.g. what {@code pretrain-vision} wrote),
 * as BLIP's pre-training starts its ViT from ImageNet weights.
 */
public final class TrainingModel implements AutoCloseable {
    private final TrainingTask task;
    private final BlipModel online;
    private final MomentumModel momentum;
    private final FeatureQueue queue;
    private final BlipTokenizer tokenizer;
    private final Path tokenizerDir;
    private final boolean freezeVision;

    private TrainingModel(TrainingTask task, BlipModel online, MomentumModel momentum, FeatureQueue queue,
            BlipTokenizer tokenizer, Path tokenizerDir, boolean freezeVision) {
        this.task = task;
        this.online = online;
        this.momentum = momentum;
        this.queue = queue;
        this.tokenizer = tokenizer;
        this.tokenizerDir = tokenizerDir;
        this.freezeVision = freezeVision;
    }

    public static TrainingModel create(TrainConfig cfg, TrainingTask task, Path baseDir, NDManager manager,
            TrainingListener log) throws IOException {
        long seed = cfg.integer("seed", 42);
        int imageSize = cfg.integer("image_size", 384);
        String initFrom = cfg.string("init_from", null);
        String visionFrom = cfg.string("init_vision_from", null);
        if (initFrom != null && visionFrom != null) {
            throw new IllegalArgumentException("init_vision_from and init_from exclude each other: init_from already "
                    + "sets the image encoder");
        }
        String initSpec = initFrom == null ? null : localSpec(baseDir, initFrom);
        Path initDir = initSpec == null ? null : ModelResolver.resolve(initSpec, conversionOptions(cfg, baseDir));
        Path tokDir = tokenizerDir(cfg, baseDir, initDir);
        BlipTokenizer tokenizer = TrainingTokenizer.load(tokDir);

        BlipConfig config;
        Map<String, RawTensor> weights = null;
        if (initDir != null) {
            HfModelDirectory files = HfModelDirectory.open(initDir);
            config = BlipConfigJson.read(files.config());
            weights = files.loadWeights();
            config = config.withVision(config.vision().withImageSize(imageSize));
            requireSameSize(cfg, baseDir, imageSize, config, initFrom);
        } else {
            config = baseConfig(cfg, baseDir, imageSize, tokenizer.specialTokens().vocabSize());
        }
        var st = tokenizer.specialTokens();
        if (config.text().vocabSize() < st.vocabSize()) {
            throw new IllegalArgumentException("model vocabulary " + config.text().vocabSize()
                    + " is smaller than the tokenizer's " + st.vocabSize());
        }
        config = forTask(config.withText(config.text().withTokenIds(config.text().vocabSize(), st.bos(), st.sep(),
                st.pad())), cfg, task);
        int decoderCrossWidth = task == TrainingTask.VQA ? config.text().hiddenSize()
                : config.text().encoderHiddenSize();
        if (task == TrainingTask.VQA) {
            if (weights != null) {
                List<String> misfits = AnswerDecoderWeights.misfits(weights, decoderCrossWidth);
                if (!misfits.isEmpty()) {
                    weights = AnswerDecoderWeights.fit(weights, misfits, decoderCrossWidth,
                            config.text().initializerRange(), seed, manager);
                    log.onMessage("answer decoder: " + misfits.size() + " cross-attention key/value weights of "
                            + initDir + " attend to another width than the question states ("
                            + decoderCrossWidth + "); re-initialised");
                }
            }
        }
        BlipModel online = new BlipModel(config, task.parts, decoderCrossWidth, manager,
                task == TrainingTask.PRETRAIN);
        try {
            if (weights != null) {
                List<String> ignored = assignSubset(online, weights, initDir.toString());
                log.onMessage("initialised from " + initDir + (ignored.isEmpty() ? ""
                        : " (" + ignored.size() + " tensors of other parts left out)"));
            }
            if (visionFrom != null) {
                Path dir = ModelResolver.resolve(resolvePath(baseDir, visionFrom), ModelOptions.defaults());
                int n = assignVision(online, HfModelDirectory.open(dir).loadWeights(), dir.toString());
                log.onMessage("image encoder initialised from " + dir + " (" + n + " tensors)");
            }
            ModelInitializer.initialize(online.parameters(), manager, config.text().initializerRange(), seed);
            if (cfg.bool("vit_grad_ckpt", false)) {
                // the original's create_vit(use_grad_checkpointing, ckpt_layer): the last ckpt_layer blocks
                online.vision().checkpointLastBlocks(cfg.integer("vit_ckpt_layer", 0));
            }
            MomentumModel momentum = null;
            FeatureQueue queue = null;
            if (task.usesMomentum) {
                momentum = new MomentumModel(online, cfg.number("momentum", 0.995), manager);
                // an original checkpoint's visual_encoder_m / text_encoder_m / *_proj_m and queues, as the
                // original load_checkpoint loads them (the converted directory keeps inference weights only)
                Map<String, RawTensor> original = weights != null && initSpec.endsWith(".pth")
                        && Files.isRegularFile(Path.of(initSpec)) ? OriginalCheckpointRenamer.rename(
                        TorchCheckpointReader.readStateDict(Path.of(initSpec))).trainingState() : null;
                if (weights != null) {
                    loadOriginalMomentum(momentum, weights, log);
                }
                if (original != null) {
                    loadOriginalMomentum(momentum, original, log);
                }
                // a training run owns torch's generator: its queue is drawn from the config's seed
                ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed((int) seed);
                queue = FeatureQueue.random(manager, config.imageTextHiddenSize(), cfg.integer("queue_size", 57600));
                if (original != null) {
                    loadOriginalQueues(queue, original, task, manager, log);
                }
            }
            return new TrainingModel(task, online, momentum, queue, tokenizer, tokDir,
                    cfg.bool("freeze_vision", false));
        } catch (RuntimeException e) {
            online.close();
            throw e;
        }
    }

    /**
     * The {@code tokenizer} directory, else the tokenizer beside a model the config names: {@code init_from},
     * {@code init_vision_from} (a directory), or the directory of a {@code model_config} file.
     */
    static Path tokenizerDir(TrainConfig cfg, Path baseDir, Path initDir) throws IOException {
        String given = cfg.string("tokenizer", null);
        if (given != null) {
            return baseDir.resolve(given);
        }
        List<Path> models = new ArrayList<>();
        if (initDir != null) {
            models.add(initDir);
        }
        String vision = cfg.string("init_vision_from", null);
        if (vision != null && Files.isDirectory(baseDir.resolve(vision))) {
            models.add(baseDir.resolve(vision));
        }
        String modelConfig = cfg.string("model_config", null);
        if (modelConfig != null && Files.isRegularFile(baseDir.resolve(modelConfig))) {
            models.add(baseDir.resolve(modelConfig).toAbsolutePath().getParent());
        }
        for (Path dir : models) {
            if (Files.isRegularFile(dir.resolve(TokenizerFiles.VOCAB_TXT))
                    || Files.isRegularFile(dir.resolve(TokenizerFiles.TOKENIZER_JSON))) {
                return dir;
            }
        }
        throw new IOException("no tokenizer: the config sets no 'tokenizer'" + (models.isEmpty()
                ? " and names no model directory (init_from, init_vision_from or a model_config file)"
                : " and no vocab.txt or tokenizer.json is beside the models it names (" + models + ")")
                + ". Give one with --set tokenizer=DIR (a directory with vocab.txt or tokenizer.json, such as a BLIP "
                + "model directory or bert-base-uncased), or start from a model with --set init_from=MODEL.");
    }

    /**
     * The config's model settings applied to a model configuration: dropout, the task's architectures, drop path
     * (ViT-L always 0.1 in the original's pre-training; BLIP_VQA's ViT 0.1), and VQA's answer decoder attending to
     * question states (text width, recorded so that the saved model reloads with the same layout).
     */
    static BlipConfig forTask(BlipConfig config, TrainConfig cfg, TrainingTask task) {
        double dropout = cfg.number("dropout", 0.1);
        config = config.withText(config.text().withDropout(dropout, dropout)).withArchitectures(task.architectures());
        if (task == TrainingTask.PRETRAIN) {
            config = config.withVision(config.vision().withDropPathRate(
                    cfg.number("drop_path_rate", config.vision().hiddenSize() >= 1024 ? 0.1 : 0.0)));
        }
        if (task == TrainingTask.VQA) {
            config = config.withVision(config.vision().withDropPathRate(cfg.number("drop_path_rate", 0.1)));
            config = config.withText(config.text().withAnswerDecoderEncoderHiddenSize(config.text().hiddenSize()));
        }
        return config;
    }

    /**
     * The model a run will build, from the config alone (no tokenizer, checkpoint or data is read): the
     * {@code model_config} / {@code vit} preset (or JSON file) at {@code image_size}, vocabulary 30,524 (BLIP's;
     * at run time the tokenizer's), with the task's settings. For {@code --print-config}.
     */
    public static BlipConfig planned(TrainConfig cfg, TrainingTask task, Path baseDir) throws IOException {
        BlipConfig c = baseConfig(cfg, baseDir, cfg.integer("image_size", 384), 30524);
        return forTask(c, cfg, task);
    }

    /**
     * A {@code vit} / {@code model_config} given in the config file or {@code --set} must describe the checkpoint
     * it starts from (the original builds the model from {@code vit} and then loads the checkpoint into it).
     */
    static void requireSameSize(TrainConfig cfg, Path baseDir, int imageSize, BlipConfig loaded, String from)
            throws IOException {
        String src = cfg.sourceOf("model_config");
        if (src == null || src.equals(TrainConfig.PRESET)) {
            return;
        }
        BlipConfig want = baseConfig(cfg, baseDir, imageSize, loaded.text().vocabSize());
        var a = want.vision();
        var b = loaded.vision();
        if (a.hiddenSize() != b.hiddenSize() || a.numHiddenLayers() != b.numHiddenLayers()
                || want.text().hiddenSize() != loaded.text().hiddenSize()
                || want.text().numHiddenLayers() != loaded.text().numHiddenLayers()) {
            throw new IllegalArgumentException("model '" + cfg.string("model_config", null) + "' (" + src
                    + ": ViT width " + a.hiddenSize() + " × " + a.numHiddenLayers() + " layers) does not match "
                    + from + " (ViT width " + b.hiddenSize() + " × " + b.numHiddenLayers() + " layers, text width "
                    + loaded.text().hiddenSize() + ")");
        }
    }

    /**
     * How an original {@code .pth} is converted (as {@code blip convert}): the config's tokenizer (special ids),
     * {@code med_config} (text heads, eps), {@code vision_heads} / {@code text_heads} (widths not multiples of 64).
     */
    static ModelOptions conversionOptions(TrainConfig cfg, Path baseDir) {
        return new ModelOptions(ModelOptions.defaults().device(),
                cfg.has("tokenizer") ? baseDir.resolve(cfg.string("tokenizer", null)) : null,
                cfg.has("med_config") ? baseDir.resolve(cfg.string("med_config", null)) : null,
                cfg.has("vision_heads") ? cfg.integer("vision_heads", 0) : null,
                cfg.has("text_heads") ? cfg.integer("text_heads", 0) : null);
    }

    /** A local path for {@code spec}: an http(s) URL is downloaded once into the cache. */
    static String localSpec(Path baseDir, String spec) throws IOException {
        if (CheckpointUrlCache.isUrl(spec)) {
            return CheckpointUrlCache.defaults().fetch(spec).toString();
        }
        return resolvePath(baseDir, spec);
    }

    static String resolvePath(Path baseDir, String spec) {
        Path p = baseDir.resolve(spec);
        return Files.exists(p) ? p.toString() : spec;
    }

    static BlipConfig baseConfig(TrainConfig cfg, Path baseDir, int imageSize, int vocabSize) throws IOException {
        String mc = cfg.string("model_config", "base");
        Path p = baseDir.resolve(mc);
        BlipConfig c;
        if (Files.isRegularFile(p)) {
            c = BlipConfigJson.read(p);
            c = c.withVision(c.vision().withImageSize(imageSize));
            c = c.withText(c.text().withTokenIds(vocabSize, c.text().bosTokenId(), c.text().sepTokenId(),
                    c.text().padTokenId()));
        } else {
            c = ModelPresets.named(mc, imageSize, vocabSize);
        }
        if (cfg.has("initializer_range")) {
            // from-scratch init scale: BERT's 0.02 suits width 768; narrow models need larger weights to learn fast
            c = c.withText(c.text().withInitializerRange(cfg.number("initializer_range", 0.02)));
        }
        return c;
    }

    /** Loads this model's parts from a checkpoint, strictly; returns keys belonging to other parts. */
    static List<String> assignSubset(BlipModel model, Map<String, RawTensor> weights, String source) {
        Map<String, RawTensor> mine = new LinkedHashMap<>();
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, RawTensor> e : weights.entrySet()) {
            Part p = Part.of(e.getKey());
            if (p != null && !model.has(p)) {
                ignored.add(e.getKey());
            } else if (p != null) {
                mine.put(e.getKey(), e.getValue());
            }
        }
        mine = BlipModelLoader.adaptPositionEmbedding(model.config(), mine);
        BlipModelLoader.assign(model.parameters(), mine, model.manager(), source);
        return ignored;
    }

    /** Loads the image encoder, strictly, from any checkpoint holding one; other parts are ignored. */
    static int assignVision(BlipModel model, Map<String, RawTensor> weights, String source) {
        return BlipModelLoader.assignPart(model.parameters(), Part.VISION,
                BlipModelLoader.adaptPositionEmbedding(model.config(), weights), model.manager(), source);
    }

    /** An original pre-training checkpoint carries momentum weights ({@code *_m}); use them when present. */
    static void loadOriginalMomentum(MomentumModel momentum, Map<String, RawTensor> weights, TrainingListener log) {
        Map<String, RawTensor> m = new LinkedHashMap<>();
        for (Map.Entry<String, RawTensor> e : weights.entrySet()) {
            String k = e.getKey();
            String online = momentumToOnline(k);
            if (online != null) {
                m.put(online, e.getValue());
            }
        }
        if (!m.isEmpty()) {
            m = BlipModelLoader.adaptPositionEmbedding(momentum.model().config(), m);
            momentum.load(m, momentum.model().manager());
            log.onMessage("momentum encoders loaded from the checkpoint");
        }
    }

    /**
     * The feature queues of an original checkpoint, when their shapes fit this run's (else they stay as initialised,
     * as load_checkpoint drops tensors whose shape differs): image/text queues, the retrieval model's idx_queue and
     * pointer (ptr_queue; a pre-training checkpoint's queue_ptr is another buffer name, so it does not carry over
     * to retrieval, as in the original).
     */
    static void loadOriginalQueues(FeatureQueue queue, Map<String, RawTensor> s, TrainingTask task, NDManager m,
            TrainingListener log) {
        RawTensor img = s.get("image_queue");
        RawTensor txt = s.get("text_queue");
        if (img == null || txt == null) {
            return;
        }
        long[] want = {queue.imageQueue().getShape().get(0), queue.size()};
        if (!java.util.Arrays.equals(img.shape(), want) || !java.util.Arrays.equals(txt.shape(), want)) {
            log.onMessage("feature queues of the checkpoint (" + img.shapeString() + ") do not fit queue_size "
                    + queue.size() + ": left as initialised");
            return;
        }
        RawTensor idx = task == TrainingTask.RETRIEVAL ? s.get("idx_queue") : null;
        RawTensor ptr = s.get(task == TrainingTask.RETRIEVAL ? "ptr_queue" : "queue_ptr");
        var idxArr = idx != null && java.util.Arrays.equals(idx.shape(), new long[] {1, queue.size()})
                ? BlipModelLoader.toNDArray(idx, m).toType(ai.djl.ndarray.types.DataType.INT64, false)
                : queue.idxQueue().duplicate();
        int pointer = 0;
        if (ptr != null && RawTensor.numel(ptr.shape()) == 1) {
            try (var p = BlipModelLoader.toNDArray(ptr, m)) {
                pointer = (int) Math.floorMod(p.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray()[0],
                        (long) queue.size());
            }
        }
        queue.restore(BlipModelLoader.toNDArray(img, m), BlipModelLoader.toNDArray(txt, m), idxArr, pointer);
        log.onMessage("feature queues loaded from the checkpoint (pointer " + pointer + ")");
    }

    /** {@code vision_model_m.X} → {@code vision_model.X} (the renamer's momentum naming), else null. */
    static String momentumToOnline(String key) {
        int dot = key.indexOf('.');
        if (dot > 2 && key.substring(0, dot).endsWith("_m")) {
            return key.substring(0, dot - 2) + key.substring(dot);
        }
        return null;
    }

    public TrainingTask task() {
        return task;
    }

    public BlipModel online() {
        return online;
    }

    public MomentumModel momentum() {
        return momentum;
    }

    public FeatureQueue queue() {
        return queue;
    }

    public BlipTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * Parameters that receive gradients (each shared tensor once); without the image encoder's when
     * {@code freeze_vision} is set (fine-tuning on a small set then cannot make the encoder memorise its images).
     */
    public List<Parameter> trainable() {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : online.parameters().parameters().values()) {
            if (!(freezeVision && Part.VISION.owns(p.name()))) {
                out.add(p);
            }
        }
        return out;
    }

    /** Writes a loadable HF-layout model directory: config, weights, preprocessor config, tokenizer files. */
    public void saveModel(Path dir) throws IOException {
        BlipModelSaver.save(online, dir);
        for (String f : HfModelDirectory.TOKENIZER_FILES) {
            Path src = tokenizerDir.resolve(f);
            if (Files.isRegularFile(src)) {
                Path tmp = dir.resolve("." + f + ".tmp");
                Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING);
                AtomicFiles.moveAtomically(tmp, dir.resolve(f));
            }
        }
    }

    @Override
    public void close() {
        if (queue != null) {
            queue.close();
        }
        if (momentum != null) {
            momentum.close();
        }
        online.close();
    }
}
