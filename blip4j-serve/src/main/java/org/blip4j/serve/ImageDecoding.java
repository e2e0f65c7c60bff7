package org.blip4j.serve;

import java.util.concurrent.Semaphore;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;

/**
 * Decodes uploads under a pixel limit, a few at a time: a decode briefly holds the full-size image twice (ImageIO's
 * raster and the RGB copy), so bounding concurrent decodes bounds that transient memory.
 */
final class ImageDecoding {
    private final ImageLoader loader;
    private final Semaphore permits;

    ImageDecoding(long maxPixels, int concurrent) {
        this.loader = ImageLoader.withMaxPixels(maxPixels);
        this.permits = new Semaphore(Math.max(1, concurrent));
    }

    RgbImage decode(byte[] bytes, String name) {
        permits.acquireUninterruptibly();
        try {
            return loader.read(bytes, name);
        } finally {
            permits.release();
        }
    }
}
