package org.blip4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding of generated files in every supported layout, with PIL {@code convert('RGB')} semantics. */
class ImageLoaderTest {
    @TempDir
    Path dir;

    /** A deterministic colourful test image. */
    private static RgbImage pattern(int w, int h) {
        byte[] d = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = (y * w + x) * 3;
                d[p] = (byte) (x * 255 / Math.max(1, w - 1));
                d[p + 1] = (byte) (y * 255 / Math.max(1, h - 1));
                d[p + 2] = (byte) ((x * 7 + y * 13) & 0xFF);
            }
        }
        return new RgbImage(w, h, d);
    }

    private Path write(BufferedImage img, String format, String name) throws IOException {
        Path p = dir.resolve(name);
        assertTrue(ImageIO.write(img, format, p.toFile()), "no ImageIO writer for " + format);
        return p;
    }

    @Test
    void rgbPngBmpRoundTripExactly() throws IOException {
        RgbImage src = pattern(37, 23);
        assertEquals(src, ImageLoader.load(write(src.toBufferedImage(), "png", "a.png")));
        assertEquals(src, ImageLoader.load(write(src.toBufferedImage(), "bmp", "a.bmp")));
    }

    @Test
    void alphaIsDroppedNotComposited() throws IOException {
        BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00FF8040); // fully transparent, colour must survive
        img.setRGB(1, 0, 0x80102030);
        img.setRGB(2, 0, 0xFF0A0B0C);
        RgbImage out = ImageLoader.load(write(img, "png", "rgba.png"));
        assertArrayEquals(new int[] {0xFF, 0x80, 0x40}, px(out, 0, 0));
        assertArrayEquals(new int[] {0x10, 0x20, 0x30}, px(out, 1, 0));
        assertArrayEquals(new int[] {0x0A, 0x0B, 0x0C}, px(out, 2, 0));
    }

    @Test
    void grayIsReplicatedWithoutGammaConversion() throws IOException {
        BufferedImage img = new BufferedImage(256, 1, BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 0; x < 256; x++) {
            img.getRaster().setSample(x, 0, 0, x);
        }
        for (String fmt : new String[] {"png", "bmp"}) {
            RgbImage out = ImageLoader.load(write(img, fmt, "gray." + fmt));
            for (int x = 0; x < 256; x++) {
                assertArrayEquals(new int[] {x, x, x}, px(out, x, 0), fmt + " gray value " + x);
            }
        }
    }

    @Test
    void sixteenBitGrayClipsLikePilModeI() throws IOException {
        BufferedImage img = new BufferedImage(4, 1, BufferedImage.TYPE_USHORT_GRAY);
        int[] values = {0, 100, 255, 40000};
        for (int x = 0; x < 4; x++) {
            img.getRaster().setSample(x, 0, 0, values[x]);
        }
        RgbImage out = ImageLoader.load(write(img, "png", "gray16.png"));
        int[] expected = {0, 100, 255, 255}; // PIL opens 16-bit gray as mode "I"; I->RGB clips to 0..255
        for (int x = 0; x < 4; x++) {
            assertArrayEquals(new int[] {expected[x], expected[x], expected[x]}, px(out, x, 0));
        }
    }

    @Test
    void sixteenBitRgbKeepsHighByte() throws IOException {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(2, 1);
        r.setPixel(0, 0, new int[] {0x1234, 0xABCD, 0xFFFF});
        r.setPixel(1, 0, new int[] {0x00FF, 0x0100, 0x8000});
        RgbImage out = ImageLoader.load(write(new BufferedImage(cm, r, false, null), "png", "rgb16.png"));
        assertArrayEquals(new int[] {0x12, 0xAB, 0xFF}, px(out, 0, 0));
        assertArrayEquals(new int[] {0x00, 0x01, 0x80}, px(out, 1, 0));
    }

    @Test
    void paletteImagesAreExpanded() throws IOException {
        byte[] r = {(byte) 255, 0, 12, (byte) 200};
        byte[] g = {0, (byte) 255, 34, (byte) 201};
        byte[] b = {0, 0, 56, (byte) 202};
        BufferedImage twoBit = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(2, 4, r, g, b));
        // A full 256-entry palette: the JDK BMP writer mis-packs 4-bit output for small palettes.
        BufferedImage eightBit = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 256, Arrays.copyOf(r, 256), Arrays.copyOf(g, 256), Arrays.copyOf(b, 256)));
        String[][] cases = {{"png", "2"}, {"gif", "2"}, {"png", "8"}, {"gif", "8"}, {"bmp", "8"}};
        for (String[] c : cases) {
            BufferedImage img = c[1].equals("2") ? twoBit : eightBit;
            for (int x = 0; x < 4; x++) {
                img.getRaster().setSample(x, 0, 0, 3 - x);
            }
            RgbImage out = ImageLoader.load(write(img, c[0], "pal" + c[1] + "." + c[0]));
            for (int x = 0; x < 4; x++) {
                int i = 3 - x;
                assertArrayEquals(new int[] {r[i] & 0xFF, g[i] & 0xFF, b[i] & 0xFF}, px(out, x, 0),
                        c[0] + " " + c[1] + "-bit x=" + x);
            }
        }
    }

    @Test
    void jpegBaselineProgressiveAndGrayDecode() throws IOException {
        RgbImage src = smooth(48, 32);
        for (boolean progressive : new boolean[] {false, true}) {
            Path p = writeJpeg(src.toBufferedImage(), progressive, "c" + progressive + ".jpg");
            RgbImage out = ImageLoader.load(p);
            assertEquals(48, out.width());
            assertEquals(32, out.height());
            assertTrue(meanAbsDiff(src, out) < 3.0, "JPEG close to source, progressive=" + progressive);
        }
        BufferedImage gray = new BufferedImage(16, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int x = 0; x < 16; x++) {
            for (int y = 0; y < 8; y++) {
                gray.getRaster().setSample(x, y, 0, 100 + x);
            }
        }
        RgbImage g = ImageLoader.load(writeJpeg(gray, false, "g.jpg"));
        for (int i = 0; i < g.data().length; i += 3) {
            assertEquals(g.data()[i], g.data()[i + 1]);
            assertEquals(g.data()[i], g.data()[i + 2]);
        }
        assertTrue(Math.abs(g.get(5, 4, 0) - 105) <= 2, "gray JPEG value " + g.get(5, 4, 0));
    }

    @Test
    void cmykJpegDecodesToRgb() throws IOException {
        // The JDK writer stores a 4-band raster as a four-component (YCCK/CMYK) JPEG; only decodability and size
        // are checked, colour parity with PIL's naive CMYK->RGB is not claimed.
        BufferedImage cmyk = new BufferedImage(16, 16, BufferedImage.TYPE_4BYTE_ABGR);
        WritableRaster raster = cmyk.getRaster();
        Path p = dir.resolve("cmyk.jpg");
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(p.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        RgbImage img = ImageLoader.load(p);
        assertEquals(16, img.width());
        assertEquals(16, img.height());
    }

    @Test
    void webpReaderIsRegistered() {
        assertTrue(ImageIO.getImageReadersByFormatName("webp").hasNext());
        assertTrue(ImageIO.getImageReadersByMIMEType("image/webp").hasNext());
    }

    @Test
    void bytesAndStreamsDecodeLikeFiles() throws IOException {
        RgbImage src = pattern(9, 7);
        Path p = write(src.toBufferedImage(), "png", "s.png");
        byte[] bytes = Files.readAllBytes(p);
        assertEquals(src, ImageLoader.load(bytes, "shard/000.png"));
        assertEquals(src, ImageLoader.load(new ByteArrayInputStream(bytes), "shard/000.png"));
    }

    @Test
    void truncatedFilesFailNamingTheFile() throws IOException {
        Path png = write(pattern(64, 64).toBufferedImage(), "png", "t.png");
        Path jpg = writeJpeg(smooth(64, 64).toBufferedImage(), false, "t.jpg");
        for (Path p : new Path[] {png, jpg}) {
            byte[] all = Files.readAllBytes(p);
            Path cut = dir.resolve("cut-" + p.getFileName());
            Files.write(cut, Arrays.copyOf(all, all.length * 2 / 3));
            ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageLoader.load(cut));
            assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void nonImagesFailWithReason() throws IOException {
        Path junk = dir.resolve("junk.jpg");
        byte[] noise = new byte[1000];
        new Random(1).nextBytes(noise);
        noise[0] = 0x12; // make sure no magic number matches by chance
        Files.write(junk, noise);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageLoader.load(junk));
        assertTrue(e.getMessage().startsWith(junk + ": not a recognized image format"), e.getMessage());

        Path empty = Files.write(dir.resolve("empty.png"), new byte[0]);
        e = assertThrows(ImageDecodeException.class, () -> ImageLoader.load(empty));
        assertTrue(e.getMessage().contains("empty file"), e.getMessage());

        Path missing = dir.resolve("missing.png");
        e = assertThrows(ImageDecodeException.class, () -> ImageLoader.load(missing));
        assertTrue(e.getMessage().contains("missing.png") && e.getMessage().contains("not found"), e.getMessage());

        e = assertThrows(ImageDecodeException.class, () -> ImageLoader.load(noise, "key-42.jpg"));
        assertTrue(e.getMessage().startsWith("key-42.jpg: "), e.getMessage());
    }

    @Test
    void decompressionBombIsRejectedFromTheHeader() throws IOException {
        Path bomb = Files.write(dir.resolve("bomb.png"), pngHeaderOnly(100_000, 100_000));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageLoader.load(bomb));
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
        assertTrue(e.getMessage().contains("exceeds the limit"), e.getMessage());

        Path small = write(pattern(20, 20).toBufferedImage(), "png", "small.png");
        assertThrows(ImageDecodeException.class, () -> ImageLoader.withMaxPixels(399).read(small));
        assertEquals(20, ImageLoader.withMaxPixels(400).read(small).width());
    }

    /** PNG signature + a valid IHDR (8-bit RGB) + an empty IDAT + IEND: the header alone claims the size. */
    private static byte[] pngHeaderOnly(int w, int h) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[0]);
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private Path writeJpeg(BufferedImage img, boolean progressive, String name) throws IOException {
        Path p = dir.resolve(name);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.95f);
        if (progressive) {
            param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        }
        try (ImageOutputStream out = ImageIO.createImageOutputStream(p.toFile())) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return p;
    }

    /** Low-frequency content, so JPEG error stays small. */
    private static RgbImage smooth(int w, int h) {
        byte[] d = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = (y * w + x) * 3;
                d[p] = (byte) (60 + x * 2);
                d[p + 1] = (byte) (90 + y * 2);
                d[p + 2] = (byte) (150 - x - y);
            }
        }
        return new RgbImage(w, h, d);
    }

    private static double meanAbsDiff(RgbImage a, RgbImage b) {
        double s = 0;
        for (int i = 0; i < a.data().length; i++) {
            s += Math.abs((a.data()[i] & 0xFF) - (b.data()[i] & 0xFF));
        }
        return s / a.data().length;
    }

    static int[] px(RgbImage img, int x, int y) {
        return new int[] {img.get(x, y, 0), img.get(x, y, 1), img.get(x, y, 2)};
    }

    @Test
    void decodingPastTheTimeLimitIsAbortedNamingTheLimit() throws IOException {
        // a large flat PNG compresses to a few KB but takes far longer than 1 ms to inflate and unfilter
        BufferedImage big = new BufferedImage(3000, 3000, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(big, "png", png));
        ImageLoader strict = ImageLoader.defaults().withTimeLimit(java.time.Duration.ofMillis(1));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> strict.read(png.toByteArray(), "slow"));
        assertTrue(e.getMessage().contains("slow") && e.getMessage().contains("longer than the limit of 1 ms"),
                e.getMessage());
        assertEquals(3000, ImageLoader.defaults().read(png.toByteArray(), "same file").width(),
                "the default limit lets it through");
    }
}
