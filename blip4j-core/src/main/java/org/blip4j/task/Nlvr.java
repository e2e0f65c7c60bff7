package org.blip4j.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.checkpoint.HfModelDirectory;
import org.blip4j.engine.Engines;
import org.blip4j.image.ImagePreprocessor;
import org.blip4j.image.RgbImage;
import org.blip4j.model.NlvrConfig;
import org.blip4j.model.NlvrModel;
import org.blip4j.model.NlvrModelFiles;
import org.blip4j.nn.Scoped;
import org.blip4j.text.BlipTokenizer;
import org.blip4j.text.Padding;
import org.blip4j.text.TextNormalizer;
import org.blip4j.text.TokenBatch;
import org.blip4j.text.TokenizerFiles;

/**
 * A loaded NLVR2 model with its tokenizer and image preprocessing: does a sentence hold for a pair of images?
 * Sentences go through {@code pre_caption(s, 40)} by default, as the official dataset ({@code data/nlvr_dataset.py},
 * NLVR2's only official path) does; tokenised without truncation, padded to the longest, first token [ENC].
 */
public final class Nlvr implements AutoCloseable {
    /** The official dataset's {@code pre_caption(sentence, 40)}. */
    public static final int MAX_WORDS = 40;

    private final Path directory;
    private final NlvrModel model;
    private final BlipTokenizer tokenizer;
    private final ImagePreprocessor preprocessor;
    private final NDManager manager;

    /** One example: two images and a sentence. */
    public record Example(RgbImage image0, RgbImage image1, String sentence) {
    }

    /** The model's answer: logits {@code [False, True]} and the arg-max (true = class 1 "True"). */
    public record Prediction(double logitFalse, double logitTrue, boolean prediction) {
    }

    private Nlvr(Path directory, NlvrModel model, BlipTokenizer tokenizer, ImagePreprocessor preprocessor,
            NDManager manager) {
        this.directory = directory;
        this.model = model;
        this.tokenizer = tokenizer;
        this.preprocessor = preprocessor;
        this.manager = manager;
    }

    /** Loads an NLVR2 model directory, original {@code model_base_nlvr.pth} (converted once) or hub id. */
    public static Nlvr load(String spec, ModelOptions options) throws IOException {
        Path dir = ModelResolver.resolve(spec, options);
        Path tokDir = options.tokenizerDir() != null ? options.tokenizerDir() : dir;
        if (!Files.isRegularFile(tokDir.resolve("vocab.txt")) && !Files.isRegularFile(tokDir.resolve("tokenizer.json"))) {
            throw new IOException(tokDir + ": no tokenizer (vocab.txt or tokenizer.json); pass --tokenizer DIR");
        }
        BlipTokenizer tokenizer = BlipTokenizer.of(TokenizerFiles.load(tokDir), dir.resolve(HfModelDirectory.CONFIG));
        NDManager manager = Engines.newManager(Engines.device(options.device()));
        try {
            NlvrModel model = NlvrModelFiles.load(dir, manager);
            int size = model.config().vision().imageSize();
            ImagePreprocessor pre = Files.isRegularFile(dir.resolve(ImagePreprocessor.CONFIG_FILE))
                    ? ImagePreprocessor.fromModelDir(dir) : ImagePreprocessor.blipDefaults(size);
            if (pre.width() != size || pre.height() != size) {
                model.close();
                throw new IOException(dir.resolve(ImagePreprocessor.CONFIG_FILE) + ": image size " + pre.width()
                        + "x" + pre.height() + " differs from vision_config.image_size " + size);
            }
            return new Nlvr(dir, model, tokenizer, pre, manager);
        } catch (RuntimeException | IOException e) {
            manager.close();
            throw e;
        }
    }

    /** Wraps an in-memory model (training, tests); closing does not close the model. */
    public static Nlvr of(NlvrModel model, BlipTokenizer tokenizer, ImagePreprocessor preprocessor) {
        return new Nlvr(null, model, tokenizer, preprocessor, model.manager());
    }

    public NlvrModel model() {
        return model;
    }

    public BlipTokenizer tokenizer() {
        return tokenizer;
    }

    public ImagePreprocessor preprocessor() {
        return preprocessor;
    }

    public Path directory() {
        return directory;
    }

    /** The text the model reads: {@code pre_caption(s, 40)}, or {@code s} as given. */
    public static String sentence(String raw, boolean preCaption) {
        return preCaption ? TextNormalizer.preCaption(raw, MAX_WORDS) : raw;
    }

    /** Token rows as {@code BLIP_NLVR.forward}: padding to the longest, no truncation, [CLS] → [ENC]. */
    public TokenBatch tokenize(List<String> sentences, boolean preCaption) {
        List<String> texts = new ArrayList<>(sentences.size());
        for (String s : sentences) {
            texts.add(sentence(s, preCaption));
        }
        return tokenizer.encodeForEncoder(texts, 0, Padding.LONGEST, false);
    }

    /** Preprocessed pixels (B, 3, S, S) of decoded images. */
    public NDArray pixels(List<RgbImage> images, NDManager m) {
        return Blip.pixels(preprocessor, model.config().vision().imageSize(), images, m);
    }

    /** Predictions for a batch of examples (one forward pass; split large inputs into batches). */
    public List<Prediction> predict(List<Example> examples, boolean preCaption) {
        if (examples.isEmpty()) {
            return List.of();
        }
        List<RgbImage> first = new ArrayList<>();
        List<RgbImage> second = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        for (Example e : examples) {
            first.add(e.image0());
            second.add(e.image1());
            sentences.add(e.sentence());
        }
        TokenBatch tokens = tokenize(sentences, preCaption);
        float[] logits;
        try (NDManager m = manager.newSubManager()) {
            NDArray ids = m.create(tokens.flatIds(), new Shape(tokens.shape()));
            NDArray mask = m.create(tokens.flatAttentionMask(), new Shape(tokens.shape()));
            NDArray p0 = pixels(first, m);
            NDArray p1 = pixels(second, m);
            logits = Scoped.run(() -> model.logits(ids, mask, p0, p1, false)).toFloatArray();
        }
        List<Prediction> out = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            float f = logits[2 * i];
            float t = logits[2 * i + 1];
            // torch's max(1) returns the first index on ties: class 0
            out.add(new Prediction(f, t, t > f));
        }
        return out;
    }

    public NlvrConfig config() {
        return model.config();
    }

    @Override
    public void close() {
        if (directory != null) {
            model.close();
            manager.close();
        }
    }
}
