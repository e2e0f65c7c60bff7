package org.blip4j.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.checkpoint.HfModelDirectory;
import org.blip4j.engine.Engines;
import org.blip4j.image.ImagePreprocessor;
import org.blip4j.image.RgbImage;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipConfigJson;
import org.blip4j.model.BlipModel;
import org.blip4j.model.BlipModelLoader;
import org.blip4j.text.BlipTokenizer;

/**
 * A loaded BLIP model with what it needs around it: tokenizer and special ids, image preprocessing, and the
 * native memory scope it lives in. The entry point of the inference API:
 * {@code try (Blip blip = Blip.load("Salesforce/blip-image-captioning-base")) { ... }}.
 *
 * <p>Thread-safe for inference: after {@link #load} nothing in it is written, and every task call works in its own
 * native-memory sub-scope, so many threads may share one {@code Blip} (and one {@link Captioner}, {@link Matcher} or
 * {@link Embedder} over it). Close it once, after every thread is done with it (docs/API.md, "Threads").
 */
public final class Blip implements AutoCloseable {
    private final Path directory;
    private final NDManager manager;
    private final BlipModel model;
    private final BlipTokenizer tokenizer;
    private final ImagePreprocessor preprocessor;

    private Blip(Path directory, NDManager manager, BlipModel model, BlipTokenizer tokenizer,
            ImagePreprocessor preprocessor) {
        this.directory = directory;
        this.manager = manager;
        this.model = model;
        this.tokenizer = tokenizer;
        this.preprocessor = preprocessor;
    }

    public static Blip load(String spec) throws IOException {
        return load(spec, ModelOptions.defaults());
    }

    /** Loads a model directory, original checkpoint, hub id or built-in model (see {@link ModelResolver}). */
    public static Blip load(String spec, ModelOptions options) throws IOException {
        Path dir = ModelResolver.resolve(spec, options);
        HfModelDirectory files = HfModelDirectory.open(dir);
        BlipConfig config = BlipConfigJson.read(files.config());
        if (org.blip4j.model.NlvrConfigJson.isNlvr(config)) {
            throw new IOException(dir + " is an NLVR2 model (" + org.blip4j.model.NlvrConfig.ARCHITECTURE
                    + "): it answers whether a sentence holds for two images; use 'blip nlvr' (org.blip4j.task.Nlvr)");
        }
        BlipTokenizer tokenizer = loadTokenizer(dir, options);
        ImagePreprocessor pre = Files.isRegularFile(dir.resolve(ImagePreprocessor.CONFIG_FILE))
                ? ImagePreprocessor.fromModelDir(dir) : ImagePreprocessor.blipDefaults(config.vision().imageSize());
        if (pre.width() != config.vision().imageSize() || pre.height() != config.vision().imageSize()) {
            throw new IOException(dir.resolve(ImagePreprocessor.CONFIG_FILE) + ": image size " + pre.width() + "x"
                    + pre.height() + " differs from vision_config.image_size " + config.vision().imageSize());
        }
        ai.djl.Device device = Engines.device(options.device());
        NDManager manager = Engines.newManager(device);
        try {
            BlipModel model = BlipModelLoader.load(config, files.loadWeights(), manager, dir.toString());
            org.blip4j.ort.OrtEngine.attachAsConfigured(model, device);
            return new Blip(dir, manager, model, tokenizer, pre);
        } catch (RuntimeException | IOException e) {
            manager.close();
            throw e;
        }
    }

    private static BlipTokenizer loadTokenizer(Path dir, ModelOptions options) throws IOException {
        Path tokDir = options.tokenizerDir() != null ? options.tokenizerDir() : dir;
        if (!Files.isRegularFile(tokDir.resolve("vocab.txt")) && !Files.isRegularFile(tokDir.resolve("tokenizer.json"))) {
            throw new IOException(tokDir + ": no tokenizer (vocab.txt or tokenizer.json); pass --tokenizer DIR");
        }
        return BlipTokenizer.of(org.blip4j.text.TokenizerFiles.load(tokDir), dir.resolve("config.json"));
    }

    /** Wraps an in-memory model (training, tests). */
    public static Blip of(BlipModel model, BlipTokenizer tokenizer, ImagePreprocessor preprocessor) {
        return new Blip(null, model.manager(), model, tokenizer, preprocessor);
    }

    public Path directory() {
        return directory;
    }

    public BlipModel model() {
        return model;
    }

    public BlipTokenizer tokenizer() {
        return tokenizer;
    }

    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    public NDManager manager() {
        return manager;
    }

    /** Preprocessed pixels (B, 3, S, S) of decoded images, on {@code m}. */
    public NDArray pixels(List<RgbImage> images, NDManager m) {
        return pixels(preprocessor, model.config().vision().imageSize(), images, m);
    }

    /** The images preprocessed into one (B, 3, S, S) batch on {@code m} (shared with {@link Nlvr}). */
    static NDArray pixels(ImagePreprocessor preprocessor, int s, List<RgbImage> images, NDManager m) {
        float[] all = new float[images.size() * 3 * s * s];
        for (int i = 0; i < images.size(); i++) {
            float[] px = preprocessor.toPixels(images.get(i));
            System.arraycopy(px, 0, all, i * px.length, px.length);
        }
        return m.create(all, new Shape(images.size(), 3, s, s));
    }

    /**
     * Image embeddings (B, 1+N, D), one row per image, each distinct image object run through the ViT once (a batch
     * often repeats an image: several texts or questions about it).
     */
    public NDArray imageEmbeds(List<RgbImage> images, NDManager m) {
        Map<RgbImage, Integer> slot = new IdentityHashMap<>();
        List<RgbImage> unique = new ArrayList<>();
        long[] row = new long[images.size()];
        for (int i = 0; i < images.size(); i++) {
            Integer s = slot.get(images.get(i));
            if (s == null) {
                s = unique.size();
                slot.put(images.get(i), s);
                unique.add(images.get(i));
            }
            row[i] = s;
        }
        NDArray embeds = model.imageEmbeds(pixels(unique, m), false);
        return unique.size() == images.size() ? embeds : embeds.get(m.create(row));
    }

    /** Frame embeddings (1, N, 1+P, D) of one video's frames, each frame through the ViT. */
    public NDArray frameEmbeds(List<RgbImage> frames, NDManager m) {
        NDArray e = model.imageEmbeds(pixels(frames, m), false);
        Shape s = e.getShape();
        return e.reshape(1, s.get(0), s.get(1), s.get(2));
    }

    /**
     * A video's encoder states for ITM, captioning and VQA: its frames' tokens concatenated, (1, N·(1+P), D), as
     * {@code eval_retrieval_video.py} and the paper's zero-shot video QA use them.
     */
    public NDArray videoTokens(List<RgbImage> frames, NDManager m) {
        return BlipModel.videoTokens(frameEmbeds(frames, m));
    }

    @Override
    public void close() {
        if (directory != null) {
            model.close();
            manager.close();
        }
    }
}
