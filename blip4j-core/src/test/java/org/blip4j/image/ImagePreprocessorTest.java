package org.blip4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePreprocessorTest {
    @TempDir
    Path dir;

    private Path config(String json) throws IOException {
        return Files.writeString(dir.resolve("preprocessor_config.json"), json);
    }

    @Test
    void readsTinyAConfig() {
        ImagePreprocessor p = ImagePreprocessor.fromModelDir(Fixtures.tinyAModel());
        assertEquals(64, p.width());
        assertEquals(64, p.height());
        assertEquals(ResampleFilter.BICUBIC, p.filter());
        assertTrue(p.resizes());
    }

    @Test
    void normalisesExactlyLikeToTensorThenNormalize() {
        RgbImage img = new RgbImage(2, 1, new byte[] {0, (byte) 128, (byte) 255, 1, 2, 3});
        float[] px = new PixelNormalizer(new float[] {0.5f, 0.25f, 0.125f}, new float[] {0.5f, 2f, 0.3f})
                .toChw(img);
        float[] expected = {
            (0 / 255f - 0.5f) / 0.5f, (1 / 255f - 0.5f) / 0.5f,
            (128 / 255f - 0.25f) / 2f, (2 / 255f - 0.25f) / 2f,
            (255 / 255f - 0.125f) / 0.3f, (3 / 255f - 0.125f) / 0.3f};
        assertArrayEquals(expected, px); // channel-major (CHW), bit-exact
    }

    @Test
    void intSizeAndDefaults() throws IOException {
        ImagePreprocessor p = ImagePreprocessor.fromConfig(config("{\"size\": 384, \"resample\": 2}"));
        assertEquals(384, p.width());
        assertEquals(384, p.height());
        assertEquals(ResampleFilter.BILINEAR, p.filter());
        ImagePreprocessor d = ImagePreprocessor.fromConfig(config("{}"));
        assertEquals(ImagePreprocessor.BLIP_IMAGE_SIZE, d.width());
        assertEquals(ResampleFilter.BICUBIC, d.filter());
        RgbImage img = TestImages.random(50, 30, 1);
        assertArrayEquals(ImagePreprocessor.blipDefaults(384).toPixels(img), d.toPixels(img));
    }

    @Test
    void rectangularSizeAndNoResize() throws IOException {
        ImagePreprocessor p = ImagePreprocessor.fromConfig(config("{\"size\": {\"height\": 20, \"width\": 30}}"));
        assertEquals(3 * 20 * 30, p.toPixels(TestImages.random(50, 30, 2)).length);
        ImagePreprocessor none = ImagePreprocessor.fromConfig(config("{\"do_resize\": false, \"do_normalize\": false}"));
        RgbImage img = new RgbImage(1, 1, new byte[] {(byte) 255, 51, 0});
        assertFalse(none.resizes());
        assertArrayEquals(new float[] {1f, 0.2f, 0f}, none.toPixels(img));
    }

    @Test
    void invalidFieldsNameFileAndField() throws IOException {
        String[][] cases = {
            {"{\"size\": \"big\"}", "'size'"},
            {"{\"size\": {\"height\": 0, \"width\": 4}}", "'size.height'"},
            {"{\"resample\": 9}", "'resample'"},
            {"{\"resample\": \"bicubic\"}", "'resample'"},
            {"{\"image_mean\": [0.5, 0.5]}", "'image_mean'"},
            {"{\"image_std\": [0.5, 0, 0.5]}", "'image_std'"},
            {"{\"do_resize\": \"yes\"}", "'do_resize'"},
            {"{\"rescale_factor\": -1}", "'rescale_factor'"},
        };
        for (String[] c : cases) {
            Path f = config(c[0]);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ImagePreprocessor.fromConfig(f), c[0]);
            assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(c[1]), e.getMessage());
        }
        Path missing = dir.resolve("nope");
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ImagePreprocessor.fromModelDir(missing));
        assertTrue(e.getMessage().contains("preprocessor_config.json"), e.getMessage());
    }
}
