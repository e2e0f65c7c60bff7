package org.blip4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BasicTokenizer / WordPiece / decode rules of the transformers-4.15 slow BertTokenizer on a small vocabulary. */
class BertTokenizerTest {
    private static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
            "a", "##a", "b", "##b", "cafe", "angstrom", "smørrebrød", "οδοσ", "i", "猫", "𠀀", "😀", "##😀",
            "un", "##want", "##ed", "runn", "##ing", ",", ".", "!", "?", "'", "s", "t", "do", "n", "$", "^", "`", "¿",
            "—", "«", "»", "x", "y", "[", "]", "sep", "dog", "hello");
    private static final BertTokenizer TOK = tokenizer(TokenizerSettings.uncasedDefaults());

    static BertTokenizer tokenizer(TokenizerSettings settings) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String t : VOCAB) {
            vocab.put(t, vocab.size());
        }
        return new BertTokenizer(vocab, Map.of(), SpecialTokenNames.bertDefaults(), settings, "test vocab");
    }

    private static List<String> tok(String text) {
        return TOK.tokenize(text);
    }

    @Test
    void wordPiecesAreGreedyLongestMatchFirst() {
        assertEquals(List.of("un", "##want", "##ed", "runn", "##ing"), tok("unwanted running"));
        assertEquals(List.of("[UNK]"), tok("unwantedx")); // one unmatchable rest spoils the whole word
    }

    @Test
    void punctuationIsSplitOffIncludingAsciiSymbolsAndUnicodeP() {
        assertEquals(List.of("a", ",", "b", "."), tok("a,b."));
        assertEquals(List.of("$", "a", "^", "b", "`"), tok("$a^b`")); // ASCII symbols count as punctuation
        assertEquals(List.of("¿", "a", "?", "—", "«", "b", "»"), tok("¿a?—«b»"));
        assertEquals(List.of("do", "n", "'", "t"), tok("do n't"));
        assertEquals(List.of("[UNK]", "'", "t"), tok("don't")); // "##n" is not in this vocabulary
    }

    @Test
    void lowerCasesAndStripsAccents() {
        assertEquals(List.of("cafe", "angstrom"), tok("CAFÉ Ångström"));
        assertEquals(List.of("smørrebrød"), tok("Smørrebrød")); // ø has no NFD decomposition
        assertEquals(List.of("i"), tok("İ")); // lower -> i + U+0307 (Mn), stripped
    }

    @Test
    void lowerCasingIsPerCharacterSoNoFinalSigma() {
        // HF lower-cases one character at a time before splitting: Σ -> σ even at a word end (not ς).
        assertEquals(List.of("οδοσ"), tok("ΟΔΟΣ"));
    }

    @Test
    void cjkIdeographsAreIsolatedIncludingBeyondBmp() {
        assertEquals(List.of("猫", "猫", "a"), tok("猫猫a"));
        assertEquals(List.of("a", "𠀀", "b"), tok("a𠀀b")); // U+20000, a surrogate pair in Java
    }

    @Test
    void cleanTextDropsControlsAndNormalisesWhitespace() {
        assertEquals(List.of("a", "b"), tok("a\tb"));
        assertEquals(List.of("a", "b"), tok("a\u00a0b")); // Zs -> space
        assertEquals(List.of("a", "b"), tok("a\u2028b")); // kept by clean-up, split by Python str.split()
        assertEquals(List.of("[UNK]"), tok("a\u0000b\ufffdc\u200bd\u000be")); // removed chars glue "abcde"
        assertEquals(List.of(), tok(" \t\n "));
        assertArrayEquals(new long[] {2, 3}, TOK.encode(""));
    }

    @Test
    void wordLengthLimitCountsCodePoints() {
        assertEquals(100, tok("a".repeat(100)).size());
        assertEquals(List.of("[UNK]"), tok("a".repeat(101)));
        assertEquals(100, tok("😀".repeat(100)).size()); // 200 UTF-16 units, 100 characters
        assertEquals(List.of("[UNK]"), tok("😀".repeat(101)));
    }

    @Test
    void specialTokensAreMatchedWholeAndCaseSensitively() {
        assertEquals(List.of("a", "[SEP]", "b"), tok("A[SEP]b"));
        assertEquals(List.of("x", "[MASK]", "[MASK]", "y"), tok("x [MASK][MASK] y"));
        assertEquals(List.of("[", "sep", "]"), tok("[sep]"));
        assertArrayEquals(new long[] {2, 5, 3, 7, 3}, TOK.encode("a [SEP] b"));
    }

    @Test
    void settingsControlCasingAccentsAndCjk() {
        TokenizerSettings cased = new TokenizerSettings(false, null, false, true, List.of(), "##", 100);
        assertEquals(List.of("[UNK]", "[UNK]"), tokenizer(cased).tokenize("CAFE 猫猫"));
        TokenizerSettings keepAccents = new TokenizerSettings(true, false, true, true, List.of(), "##", 100);
        assertEquals(List.of("[UNK]"), tokenizer(keepAccents).tokenize("café"));
        TokenizerSettings neverSplit = new TokenizerSettings(true, null, true, true, List.of("hello!"), "##", 100);
        assertEquals(List.of("hello!", "a"), tokenizer(neverSplit).tokenize("hello! a"));
    }

    @Test
    void decodeJoinsPiecesAndCleansUpSpaces() {
        long[] ids = TOK.encode("unwanted, running dog's. do n't!");
        assertEquals("[CLS] unwanted, running dog's. don't! [SEP]", TOK.decode(ids, false));
        assertEquals("unwanted, running dog's. don't!", TOK.decode(ids, true));
        assertEquals("unwanted , running dog ' s . do n ' t !", TOK.decode(ids, true, false));
        assertEquals("a [UNK] b", TOK.decode(new long[] {5, 9999, 7, 0, 0}, true)); // unknown ids -> [UNK]
    }

    @Test
    void cleanUpTokenizationRules() {
        assertEquals("a. b? c! d, e'f don't I'm it's we've they're",
                BertTokenizer.cleanUpTokenization("a . b ? c ! d , e ' f do n't I 'm it 's we 've they 're"));
    }

    @Test
    void paddingModes() {
        List<String> texts = List.of("a", "a b a b");
        TokenBatch longest = TOK.encode(texts, 0, Padding.LONGEST, false);
        assertArrayEquals(new long[][] {{2, 5, 3, 0, 0, 0}, {2, 5, 7, 5, 7, 3}}, longest.ids());
        assertArrayEquals(new long[][] {{1, 1, 1, 0, 0, 0}, {1, 1, 1, 1, 1, 1}}, longest.attentionMask());
        TokenBatch none = TOK.encode(texts, 0, Padding.NONE, false);
        assertEquals(3, none.ids()[0].length);
        assertThrows(IllegalStateException.class, none::length);
        TokenBatch truncated = TOK.encode(texts, 4, Padding.MAX_LENGTH, true);
        assertArrayEquals(new long[][] {{2, 5, 3, 0}, {2, 5, 7, 3}}, truncated.ids());
        TokenBatch notTruncated = TOK.encode(texts, 4, Padding.LONGEST, false);
        assertEquals(6, notTruncated.length());
    }

    @Test
    void invalidLengthsAreClearErrors() {
        List<String> texts = List.of("a b a b");
        assertThrows(IllegalArgumentException.class, () -> TOK.encode(texts, 0, Padding.MAX_LENGTH, true));
        assertThrows(IllegalArgumentException.class, () -> TOK.encode(texts, 1, Padding.LONGEST, true));
        var e = assertThrows(IllegalArgumentException.class, () -> TOK.encode(texts, 4, Padding.MAX_LENGTH, false));
        assertTrue(e.getMessage().contains("truncation"), e.getMessage());
    }

    @Test
    void tokenBatchHelpers() {
        TokenBatch batch = TOK.encode(List.of("a", "b"), 0, Padding.LONGEST, false);
        TokenBatch dec = batch.withFirstToken(99);
        assertArrayEquals(new long[] {99, 5, 3, 99, 7, 3}, dec.flatIds());
        assertArrayEquals(new long[] {2, 5, 3, 2, 7, 3}, batch.flatIds()); // original untouched
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 1}, dec.flatAttentionMask());
    }

    @Test
    void addedSpecialTokens() {
        BertTokenizer blip = TOK.withAddedSpecialTokens(Map.of("[DEC]", VOCAB.size(), "[ENC]", VOCAB.size() + 1));
        int dec = VOCAB.size();
        assertEquals(VOCAB.size() + 2, blip.vocabSize());
        assertEquals(List.of("[DEC]", "a", "[ENC]"), blip.tokenize("[DEC]a [ENC]"));
        assertEquals("a b", blip.decode(new long[] {dec, 5, 7, 3}, true));
        assertEquals("[DEC] ##b a", blip.decode(new long[] {dec, 8, 5}, false)); // added tokens stay separate
        assertThrows(TokenizerConfigException.class, () -> TOK.withAddedSpecialTokens(Map.of("[DEC]", 5)));
        assertThrows(TokenizerConfigException.class, () -> TOK.withAddedSpecialTokens(Map.of("a", 6)));
    }
}
