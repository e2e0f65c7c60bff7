package org.blip4j.text;

import java.util.Objects;

/**
 * A captioning prompt such as {@code "a picture of "}. Orig BLIP removes it from a decoded caption by character
 * count ({@code caption[len(prompt):]}), not by matching text: a generated "##" piece glues onto "of" and the
 * caption then starts with a space. Reproduced here, counting code points like Python.
 */
public record CaptionPrompt(String text) {
    public static final CaptionPrompt DEFAULT = new CaptionPrompt("a picture of ");

    public CaptionPrompt {
        Objects.requireNonNull(text, "text");
    }

    /** Length in code points (Python {@code len}). */
    public int length() {
        return text.codePointCount(0, text.length());
    }

    /** {@code decoded[len(prompt):]}: empty when the decoded text is shorter than the prompt. */
    public String strip(String decoded) {
        int n = length();
        if (decoded.codePointCount(0, decoded.length()) <= n) {
            return "";
        }
        return decoded.substring(decoded.offsetByCodePoints(0, n));
    }
}
