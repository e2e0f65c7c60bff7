package org.blip4j.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Character predicates of the transformers-4.15 BERT tokenizer ({@code tokenization_bert.py}) and of Python's
 * {@code str.isspace()}, on Unicode code points (never UTF-16 units, so characters beyond the BMP count once).
 */
final class CharClasses {
    private CharClasses() {
    }

    /** BERT {@code _is_whitespace}: space, \t, \n, \r or category Zs. */
    static boolean isBertWhitespace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    /** BERT {@code _is_control}: any category C* except \t, \n, \r (which count as whitespace). */
    static boolean isBertControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                    Character.UNASSIGNED -> true;
            default -> false;
        };
    }

    /** BERT {@code _is_punctuation}: all non-alphanumeric ASCII (e.g. $, ^, `) plus Unicode P*. */
    static boolean isBertPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** BERT {@code _is_chinese_char}: the CJK Unified Ideographs blocks (not Hiragana/Katakana/Hangul). */
    static boolean isCjkIdeograph(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF)
                || (cp >= 0x3400 && cp <= 0x4DBF)
                || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F)
                || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    /**
     * Python {@code str.isspace()} (what {@code str.split()} / {@code strip()} use). Differs from Java's
     * {@code Character.isWhitespace}: it includes no-break spaces (U+00A0, U+202F) and U+0085.
     */
    static boolean isPythonSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0
                || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029
                || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** Python {@code text.split()} (no argument): split on runs of {@link #isPythonSpace} characters. */
    static List<String> pythonSplit(String text) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (isPythonSpace(cp)) {
                if (start >= 0) {
                    out.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            out.add(text.substring(start));
        }
        return out;
    }

    /**
     * Python {@code str.lower()}: per-code-point full lower-casing, with Python's final-sigma rule for U+03A3
     * (Java's {@code toLowerCase} decides final sigma by word boundaries and disagrees e.g. on "bΣ:Ο").
     */
    static String pythonLower(String text) {
        int[] cps = text.codePoints().toArray();
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < cps.length; i++) {
            int cp = cps[i];
            if (cp == 0x3A3) {
                sb.append(isFinalSigma(cps, i) ? '\u03C2' : '\u03C3');
            } else if (cp < 0x80) {
                sb.append((char) Character.toLowerCase(cp));
            } else {
                // A lone code point has no casing context in Java, so this is its unconditional mapping.
                sb.append(new String(Character.toChars(cp)).toLowerCase(java.util.Locale.ROOT));
            }
        }
        return sb.toString();
    }

    /** CPython {@code handle_capital_sigma}: cased (case-ignorable)* Σ, not followed by (case-ignorable)* cased. */
    private static boolean isFinalSigma(int[] cps, int i) {
        int j = i - 1;
        while (j >= 0 && isCaseIgnorable(cps[j])) {
            j--;
        }
        if (j < 0 || !isCased(cps[j])) {
            return false;
        }
        j = i + 1;
        while (j < cps.length && isCaseIgnorable(cps[j])) {
            j++;
        }
        return j == cps.length || !isCased(cps[j]);
    }

    /** Unicode derived property Cased. */
    private static boolean isCased(int cp) {
        return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
    }

    /** Unicode derived property Case_Ignorable: Mn, Me, Cf, Lm, Sk, or Word_Break MidLetter/MidNumLet/Single_Quote. */
    private static boolean isCaseIgnorable(int cp) {
        switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT, Character.MODIFIER_LETTER,
                    Character.MODIFIER_SYMBOL:
                return true;
            default:
                break;
        }
        return switch (cp) {
            case 0x27, 0x2E, 0x3A, 0xB7, 0x387, 0x55F, 0x5F4, 0x2018, 0x2019, 0x2024, 0x2027, 0xFE13, 0xFE52, 0xFE55,
                    0xFF07, 0xFF0E, 0xFF1A -> true;
            default -> false;
        };
    }
}
