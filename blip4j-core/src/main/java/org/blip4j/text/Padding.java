package org.blip4j.text;

/** HF {@code padding=} values: pad to the longest row, to {@code max_length}, or not at all (ragged rows). */
public enum Padding {
    LONGEST,
    MAX_LENGTH,
    NONE
}
