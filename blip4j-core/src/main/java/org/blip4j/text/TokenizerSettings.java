package org.blip4j.text;

import java.util.List;

/**
 * BertTokenizer options ({@code tokenizer_config.json} / the {@code BertNormalizer} of {@code tokenizer.json}).
 *
 * @param stripAccents null = follow {@code lowerCase} (HF default)
 * @param neverSplit   extra tokens the basic tokenizer keeps whole and WordPiece never splits (HF
 *                     {@code never_split})
 */
public record TokenizerSettings(boolean lowerCase, Boolean stripAccents, boolean tokenizeChineseChars,
                                boolean basicTokenize, List<String> neverSplit, String wordpiecePrefix,
                                int maxInputCharsPerWord) {
    public TokenizerSettings {
        neverSplit = List.copyOf(neverSplit);
        if (maxInputCharsPerWord <= 0) {
            throw new IllegalArgumentException("maxInputCharsPerWord must be > 0: " + maxInputCharsPerWord);
        }
    }

    /** bert-base-uncased: lower-case, strip accents, isolate CJK, "##" pieces, at most 100 chars a word. */
    public static TokenizerSettings uncasedDefaults() {
        return new TokenizerSettings(true, null, true, true, List.of(), "##", 100);
    }
}
