package org.blip4j.vqa;

/** One line of a VQA result file as BLIP writes it and {@code blip eval vqa} reads it. */
public record VqaPrediction(long questionId, String answer) {
}
