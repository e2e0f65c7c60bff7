package org.blip4j.task;

/**
 * How texts are prepared for the encoder: BLIP's {@code pre_caption} normalisation (lower-case, punctuation to
 * spaces, at most {@code maxWords} words) and the tokenizer's max length (35 for retrieval/ITM as in orig
 * {@code models/blip_retrieval.py} and {@code blip_itm.py}).
 */
public record TextOptions(boolean normalize, int maxWords, int maxLength) {
    public static TextOptions retrieval() {
        return new TextOptions(true, 30, 35);
    }

    public String prepare(String text) {
        return normalize ? org.blip4j.text.TextNormalizer.preCaption(text, maxWords) : text;
    }
}
