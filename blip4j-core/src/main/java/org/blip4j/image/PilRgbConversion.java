package org.blip4j.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Turns a decoded {@link BufferedImage} into 8-bit RGB the way PIL's {@code Image.open(p).convert('RGB')} does.
 * Samples are read straight from the raster instead of via {@code getRGB}, because Java treats gray images as
 * linear light and would gamma-correct them; PIL copies the values.
 * <ul>
 *   <li>alpha is dropped, not composited (PIL {@code RGBA->RGB}, {@code LA->RGB});</li>
 *   <li>gray is replicated; 1/2/4-bit gray is scaled to 0..255 (PIL unpackers {@code L;2}: x85, {@code L;4}: x17);</li>
 *   <li>palettes are expanded;</li>
 *   <li>16-bit colour (and gray+alpha) keeps the high byte (PIL rawmodes {@code RGB;16B}, {@code LA;16B});
 *       16-bit gray without alpha is opened by PIL as mode {@code I} and {@code I->RGB} <em>clips</em> to 255,
 *       so that is what we do, too;</li>
 *   <li>anything else (e.g. CMYK/YCCK JPEG) goes through Java's colour conversion ({@code getRGB}).</li>
 * </ul>
 */
final class PilRgbConversion {
    private PilRgbConversion() {
    }

    static RgbImage toRgb(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            return fromPalette(img.getRaster(), icm);
        }
        int csType = cm.getColorSpace().getType();
        if (!cm.isAlphaPremultiplied() && csType == ColorSpace.TYPE_GRAY && cm.getNumColorComponents() == 1) {
            return fromGray(img.getRaster(), cm.getComponentSize(0), cm.hasAlpha());
        }
        if (!cm.isAlphaPremultiplied() && csType == ColorSpace.TYPE_RGB && cm.getNumColorComponents() == 3) {
            return fromRgb(img.getRaster(), cm);
        }
        return viaColorConversion(img);
    }

    private static RgbImage fromPalette(Raster r, IndexColorModel icm) {
        int w = r.getWidth();
        int h = r.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0, p = 0; y < h; y++) {
            r.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++, p += 3) {
                int idx = row[x];
                out[p] = (byte) icm.getRed(idx);
                out[p + 1] = (byte) icm.getGreen(idx);
                out[p + 2] = (byte) icm.getBlue(idx);
            }
        }
        return new RgbImage(w, h, out);
    }

    private static RgbImage fromGray(Raster r, int bits, boolean hasAlpha) {
        int w = r.getWidth();
        int h = r.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0, p = 0; y < h; y++) {
            r.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++, p += 3) {
                byte v = (byte) grayTo8(row[x], bits, hasAlpha);
                out[p] = v;
                out[p + 1] = v;
                out[p + 2] = v;
            }
        }
        return new RgbImage(w, h, out);
    }

    private static int grayTo8(int v, int bits, boolean hasAlpha) {
        if (bits == 8) {
            return v;
        }
        if (bits == 16) {
            return hasAlpha ? v >>> 8 : Math.min(v, 255);
        }
        return scaleTo8(v, bits);
    }

    private static RgbImage fromRgb(Raster r, ColorModel cm) {
        int w = r.getWidth();
        int h = r.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w];
        for (int c = 0; c < 3; c++) {
            int bits = cm.getComponentSize(c);
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, c, row);
                for (int x = 0, p = y * w * 3 + c; x < w; x++, p += 3) {
                    out[p] = (byte) (bits == 8 ? row[x] : bits == 16 ? row[x] >>> 8 : scaleTo8(row[x], bits));
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Integer rescale of an n-bit sample to 0..255 (exact for the 1/2/4-bit cases PIL handles). */
    private static int scaleTo8(int v, int bits) {
        int max = (1 << bits) - 1;
        return bits > 8 ? v >>> (bits - 8) : v * 255 / max;
    }

    private static RgbImage viaColorConversion(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0, p = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++, p += 3) {
                out[p] = (byte) (row[x] >> 16);
                out[p + 1] = (byte) (row[x] >> 8);
                out[p + 2] = (byte) row[x];
            }
        }
        return new RgbImage(w, h, out);
    }
}
