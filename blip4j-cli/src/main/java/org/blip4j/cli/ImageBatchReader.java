package org.blip4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.image.ImageDecodeException;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;

/** Decodes images, reporting each unreadable one by name on stderr and counting failures. */
final class ImageBatchReader {
    int failed;

    /** Decoded images with their paths; unreadable files are reported and left out. */
    record Loaded(List<Path> paths, List<RgbImage> images) {
    }

    Loaded read(List<Path> files) {
        List<Path> ok = new ArrayList<>();
        List<RgbImage> images = new ArrayList<>();
        for (Path f : files) {
            try {
                images.add(ImageLoader.load(f));
                ok.add(f);
            } catch (ImageDecodeException e) {
                failed++;
                System.err.println("error: " + e.getMessage());
            }
        }
        return new Loaded(ok, images);
    }
}
