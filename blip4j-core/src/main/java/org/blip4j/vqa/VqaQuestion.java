package org.blip4j.vqa;

import java.nio.file.Path;

/** One question of a question file, with the image file it asks about. */
public record VqaQuestion(long questionId, String question, Path image) {
}
