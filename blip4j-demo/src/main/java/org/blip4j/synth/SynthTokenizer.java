package org.blip4j.synth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import org.blip4j.text.VocabularyBuilder;

/**
 * The synthetic world's tokenizer: a WordPiece vocabulary of its caption, junk and question words (plus letters,
 * so any text still tokenizes), with [DEC]/[ENC] last. Written to {@code DIR/tokenizer/} by {@code blip synth}.
 */
public final class SynthTokenizer {
    static final List<String> QUESTION_WORDS = List.of("what", "color", "colour", "shape", "object", "objects",
            "how", "many", "are", "where", "or", "yes", "no", "one", "size", "it", "does", "do", "have", "any",
            "picture", "image");

    private SynthTokenizer() {
    }

    public static Path write(Path worldDir) throws IOException {
        TreeSet<String> words = new TreeSet<>(Vocabulary.captionWords());
        words.addAll(Vocabulary.junkWords());
        words.addAll(QUESTION_WORDS);
        Path dir = worldDir.resolve("tokenizer");
        VocabularyBuilder.write(dir, words);
        return dir;
    }
}
