package org.blip4j.capfilt;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.blip4j.data.ImageSource;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;

/**
 * One web record: its image (as written in the file, resolved against the image root, or a shard member) and its
 * text(s). A list caption keeps all its texts here so the image is decoded once for all of them.
 *
 * @param sourceIndex index of the record in its input file, or of its key in its shard
 * @param imageFile the image on disk; null for a shard record
 * @param member the image member of a shard record; null otherwise
 * @param origin shard and key of a shard record; null for a BLIP JSON record
 */
public record WebRecord(int sourceIndex, String image, Path imageFile, List<String> texts,
        ImageSource.TarMember member, ShardOrigin origin) {
    public WebRecord {
        Objects.requireNonNull(image, "image");
        texts = List.copyOf(texts);
        if (sourceIndex < 0) {
            throw new IllegalArgumentException("source index must be >= 0, got " + sourceIndex);
        }
        if ((imageFile == null) == (member == null) || (member == null) != (origin == null)) {
            throw new IllegalArgumentException(image + ": a record has an image file, or a shard member and origin");
        }
    }

    /** A record of a BLIP JSON file. */
    public WebRecord(int sourceIndex, String image, Path imageFile, List<String> texts) {
        this(sourceIndex, image, Objects.requireNonNull(imageFile, "imageFile"), texts, null, null);
    }

    /** Decodes the image (throws what {@link ImageLoader} throws for a missing or corrupt one). */
    RgbImage load() {
        return member != null ? member.load() : ImageLoader.load(imageFile);
    }

    /** The index this record's sampling seed derives from: its position in a JSON file, or its shard identity. */
    long seedKey() {
        return origin != null ? origin.seedKey() : sourceIndex;
    }
}
