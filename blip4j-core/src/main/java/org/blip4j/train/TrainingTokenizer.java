package org.blip4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.blip4j.text.BertTokenizer;
import org.blip4j.text.BlipTokenizer;
import org.blip4j.text.SpecialTokens;
import org.blip4j.text.TokenizerFiles;

/**
 * The tokenizer of a run that starts without a model config: [DEC]/[ENC] are taken from the vocabulary when it
 * has them, otherwise appended after it as BLIP's init_tokenizer does (30522/30523 for bert-base-uncased).
 */
public final class TrainingTokenizer {
    private TrainingTokenizer() {
    }

    public static BlipTokenizer load(Path dir) throws IOException {
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("tokenizer directory " + dir + " does not exist (set 'tokenizer' in the config)");
        }
        BertTokenizer tok = TokenizerFiles.load(dir);
        int next = tok.maxId() + 1;
        int dec = tok.contains("[DEC]") ? tok.tokenToId("[DEC]") : next++;
        int enc = tok.contains("[ENC]") ? tok.tokenToId("[ENC]") : next++;
        int vocab = Math.max(tok.maxId(), Math.max(dec, enc)) + 1;
        SpecialTokens ids = new SpecialTokens(tok.padId(), tok.unkId(), tok.clsId(), tok.sepId(), tok.maskId(), dec,
                enc, vocab);
        return new BlipTokenizer(tok.withAddedSpecialTokens(Map.of("[DEC]", dec, "[ENC]", enc)), ids);
    }
}
