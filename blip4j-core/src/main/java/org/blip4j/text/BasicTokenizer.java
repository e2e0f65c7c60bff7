package org.blip4j.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * transformers-4.15 {@code BasicTokenizer}: clean text, isolate CJK ideographs, split on whitespace,
 * lower-case + strip accents, split off punctuation. Tokens in {@code neverSplit} pass through untouched.
 * Later transformers versions NFC-normalise before the whitespace split; 4.15 (what BLIP pins) does not, which
 * only matters when accents are kept.
 */
final class BasicTokenizer {
    private final boolean lowerCase;
    private final boolean stripAccents;
    private final boolean tokenizeChineseChars;

    /**
     * @param stripAccents BERT's {@code strip_accents}; {@code null} means "same as lowerCase" (the HF default)
     */
    BasicTokenizer(boolean lowerCase, Boolean stripAccents, boolean tokenizeChineseChars) {
        this.lowerCase = lowerCase;
        this.stripAccents = stripAccents == null ? lowerCase : stripAccents;
        this.tokenizeChineseChars = tokenizeChineseChars;
    }

    List<String> tokenize(String text, Set<String> neverSplit) {
        String cleaned = cleanText(text);
        if (tokenizeChineseChars) {
            cleaned = isolateCjk(cleaned);
        }
        List<String> pieces = new ArrayList<>();
        for (String token : CharClasses.pythonSplit(cleaned)) {
            if (neverSplit.contains(token)) {
                pieces.add(token);
                continue;
            }
            if (lowerCase) {
                token = token.toLowerCase(Locale.ROOT);
            }
            if (stripAccents) {
                token = stripAccents(token);
            }
            pieces.addAll(splitOnPunctuation(token));
        }
        // HF re-splits the joined pieces; this drops empty pieces (e.g. a token that was only accents).
        return CharClasses.pythonSplit(String.join(" ", pieces));
    }

    /** Drops NUL, U+FFFD and control characters; maps every BERT whitespace character to a plain space. */
    static String cleanText(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || CharClasses.isBertControl(cp)) {
                return;
            }
            if (CharClasses.isBertWhitespace(cp)) {
                sb.append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    static String isolateCjk(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(cp -> {
            if (CharClasses.isCjkIdeograph(cp)) {
                sb.append(' ').appendCodePoint(cp).append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    /** NFD, then drop non-spacing marks (Mn): 'café' -> 'cafe'; 'ø' has no decomposition and stays. */
    static String stripAccents(String token) {
        String nfd = Normalizer.normalize(token, Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder(nfd.length());
        nfd.codePoints().forEach(cp -> {
            if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    /** Every punctuation character becomes its own piece: "dog's" -> "dog", "'", "s". */
    static List<String> splitOnPunctuation(String token) {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (int i = 0; i < token.length(); ) {
            int cp = token.codePointAt(i);
            i += Character.charCount(cp);
            if (CharClasses.isBertPunctuation(cp)) {
                if (current != null) {
                    out.add(current.toString());
                    current = null;
                }
                out.add(new String(Character.toChars(cp)));
            } else {
                if (current == null) {
                    current = new StringBuilder();
                }
                current.appendCodePoint(cp);
            }
        }
        if (current != null) {
            out.add(current.toString());
        }
        return out;
    }
}
