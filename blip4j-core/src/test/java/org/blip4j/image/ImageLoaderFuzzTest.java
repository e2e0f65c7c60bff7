package org.blip4j.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;

/**
 * Fuzz target: the image loader on mutated PNG, JPEG, WebP, BMP and GIF files. Any bytes must decode into a
 * consistent image or fail with an {@link ImageDecodeException}; the pixel cap and time limit are set low so a
 * decompression bomb or a slow path shows up as a refusal, not as an out-of-memory or a hang. Inputs (seeds are
 * small files of each format): {@code src/test/resources/org/blip4j/image/ImageLoaderFuzzTestInputs/decode/}.
 */
class ImageLoaderFuzzTest {
    private static final ImageLoader LOADER = ImageLoader.withMaxPixels(1 << 20).withTimeLimit(Duration.ofSeconds(5));

    @FuzzTest(maxDuration = "4m")
    void decode(byte[] data) {
        RgbImage img;
        try {
            img = LOADER.read(data, "fuzz");
        } catch (ImageDecodeException expected) {
            return; // refused with a message
        }
        assertTrue(img.width() > 0 && img.height() > 0 && (long) img.width() * img.height() <= 1 << 20);
        assertEquals((long) img.width() * img.height() * 3, img.data().length);
    }
}
