package org.blip4j.text;

import java.util.Arrays;
import java.util.regex.Pattern;

/** Orig BLIP {@code data/utils.py} text clean-up applied before tokenisation ({@code pre_caption}, {@code pre_question}). */
public final class TextNormalizer {
    /** {@code [.!\"()*#:;~]}, the characters both functions remove. */
    private static final Pattern PUNCT = Pattern.compile("[.!\"()*#:;~]");
    /** Python's {@code \s} on str (= {@code str.isspace}), which Java's {@code \s} is not. */
    private static final Pattern RUNS_OF_SPACE = Pattern.compile(
            "[\\t\\n\\x0B\\f\\r\\x1C-\\x1F \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]{2,}");

    private TextNormalizer() {
    }

    /**
     * {@code pre_caption}: lower-case; each of {@code . ! " ( ) * # : ; ~} becomes a space; runs of 2+ whitespace
     * characters become one space; strip trailing newlines, then surrounding spaces; keep the first
     * {@code maxWords} space-separated words.
     */
    public static String preCaption(String caption, int maxWords) {
        String s = PUNCT.matcher(CharClasses.pythonLower(caption)).replaceAll(" ");
        s = RUNS_OF_SPACE.matcher(s).replaceAll(" ");
        s = stripChars(s, "\n", false);
        s = stripChars(s, " ", true);
        return firstWords(s, maxWords);
    }

    /**
     * {@code pre_question}: lower-case; delete {@code . ! " ( ) * # : ; ~} (no space inserted); strip trailing
     * spaces; keep the first {@code maxWords} space-separated words.
     */
    public static String preQuestion(String question, int maxWords) {
        String s = PUNCT.matcher(CharClasses.pythonLower(question)).replaceAll("");
        s = stripChars(s, " ", false);
        return firstWords(s, maxWords);
    }

    /** Python {@code ' '.join(s.split(' ')[:maxWords])} when there are more words (empty words count). */
    private static String firstWords(String s, int maxWords) {
        String[] words = s.split(" ", -1);
        if (words.length <= maxWords) {
            return s;
        }
        return String.join(" ", Arrays.asList(words).subList(0, Math.max(maxWords, 0)));
    }

    /** Python {@code rstrip(chars)} or, with {@code bothEnds}, {@code strip(chars)}. */
    private static String stripChars(String s, String chars, boolean bothEnds) {
        int start = 0;
        int end = s.length();
        while (end > start && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        while (bothEnds && start < end && chars.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        return s.substring(start, end);
    }
}
