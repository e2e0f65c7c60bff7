package org.blip4j.capfilt;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One record of a BLIP annotation file: its image (as written in the file, and resolved against the image root)
 * and its text(s). A list caption keeps all its texts here so the image is decoded once for all of them.
 *
 * @param sourceIndex index of the record in its input file (the key its sampling seed derives from)
 */
public record WebRecord(int sourceIndex, String image, Path imageFile, List<String> texts) {
    public WebRecord {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imageFile, "imageFile");
        texts = List.copyOf(texts);
        if (sourceIndex < 0) {
            throw new IllegalArgumentException("source index must be >= 0, got " + sourceIndex);
        }
    }
}
