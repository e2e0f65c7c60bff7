package org.blip4j.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipConfigJson;
import org.blip4j.train.TrainingTokenizer;

/**
 * The demo's model size for the synthetic shapes world (64 px images, 8 px patches): width 64, 2 layers each side.
 * Its weights start larger than BERT's 0.02 (0.125 ≈ 1/√64) so a model this narrow learns in minutes from scratch.
 * Training takes it as a {@code config.json} file ({@code model_config=<file>}), written by {@link #write}.
 */
public final class ShapesModel {
    private static final String RESOURCE = "shapes-model.json";

    private ShapesModel() {
    }

    /** The shapes model for images of {@code imageSize} and a vocabulary whose last two ids are [DEC], [ENC]. */
    public static BlipConfig config(int imageSize, int vocabSize) {
        BlipConfig c;
        try (InputStream in = ShapesModel.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("class-path resource " + RESOURCE + " is missing from blip4j-demo");
            }
            c = BlipConfigJson.parse(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + ": " + e.getMessage(), e);
        }
        c = c.withVision(c.vision().withImageSize(imageSize));
        return c.withText(c.text().withTokenIds(vocabSize, vocabSize - 2, c.text().sepTokenId(),
                c.text().padTokenId()));
    }

    /** Writes {@link #config} as an HF {@code config.json} and returns the file. */
    public static Path write(Path file, int imageSize, int vocabSize) throws IOException {
        BlipConfigJson.write(file, config(imageSize, vocabSize));
        return file;
    }

    /** {@link #write} for the vocabulary of a tokenizer directory (such as a synthetic world's {@code tokenizer}). */
    public static Path writeFor(Path file, int imageSize, Path tokenizerDir) throws IOException {
        return write(file, imageSize, TrainingTokenizer.load(tokenizerDir).specialTokens().vocabSize());
    }
}
