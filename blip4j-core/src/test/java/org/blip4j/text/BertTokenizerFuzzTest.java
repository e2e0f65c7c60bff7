package org.blip4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.blip4j.testutil.Fixtures;

/**
 * Fuzz target: the BERT tokenizer on arbitrary Unicode, including unpaired surrogates, controls, combining marks
 * and CJK (the input bytes are read as raw UTF-16 code units, so no sequence is filtered out by a decoder). Any
 * text must tokenize without an exception into ids of the vocabulary, respect truncation and decode again.
 * Inputs: {@code src/test/resources/org/blip4j/text/BertTokenizerFuzzTestInputs/arbitraryUnicode/}.
 */
class BertTokenizerFuzzTest {
    private static final BertTokenizer TOKENIZER = load();

    private static BertTokenizer load() {
        try {
            return BlipTokenizer.load(Fixtures.tinyAModel()).tokenizer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Little-endian UTF-16 code units, as they are: lone surrogates stay lone. */
    static String codeUnits(byte[] data) {
        char[] c = new char[data.length / 2];
        for (int i = 0; i < c.length; i++) {
            c[i] = (char) ((data[2 * i] & 0xff) | (data[2 * i + 1] & 0xff) << 8);
        }
        return new String(c);
    }

    @FuzzTest(maxDuration = "4m")
    void arbitraryUnicode(byte[] data) {
        String text = codeUnits(data);
        long[] ids = TOKENIZER.encode(text);
        assertTrue(ids.length >= 2, "[CLS] and [SEP] at least");
        for (long id : ids) {
            assertTrue(id >= 0 && id <= TOKENIZER.maxId(), "id " + id + " outside the vocabulary");
        }
        TokenBatch batch = TOKENIZER.encode(List.of(text, ""), 16, Padding.LONGEST, true);
        assertTrue(batch.length() <= 16, "truncated to max_length");
        assertEquals(2, batch.size());
        TOKENIZER.decode(ids, true);
        TOKENIZER.decode(ids, false, true);
    }
}
