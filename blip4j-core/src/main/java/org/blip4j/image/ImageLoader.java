package org.blip4j.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import org.blip4j.util.DaemonThreads;

/**
 * Decodes PNG, JPEG (incl. progressive and CMYK, via TwelveMonkeys), BMP, GIF (first frame) and WebP into an
 * {@link RgbImage} following PIL's {@code Image.open(p).convert('RGB')} (see {@link PilRgbConversion}).
 *
 * <p>Dimensions are read from the header before any pixel is decoded, and images with more pixels than the limit
 * are rejected, so a small "decompression bomb" file fails fast instead of exhausting the heap. Every failure is
 * an {@link ImageDecodeException} naming the file (or caller-supplied label) and the reason.
 *
 * <p>Images are untrusted input, so decoding also has a time limit ({@link #DEFAULT_TIME_LIMIT} unless set with
 * {@link #withTimeLimit(Duration)}): a watchdog calls {@link ImageReader#abort()} when it passes, the decoders stop
 * at their next row, and the image fails as "took longer than the limit" instead of holding a worker.
 */
public final class ImageLoader {
    /** PIL raises {@code DecompressionBombError} above {@code 2 * Image.MAX_IMAGE_PIXELS} (2 * 89,478,485). */
    public static final long DEFAULT_MAX_PIXELS = 2L * 89_478_485L;

    /** Far above any honest image (a 4K JPEG decodes in well under a second); stops pathological files. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(30);

    private static final ImageLoader DEFAULT = new ImageLoader(DEFAULT_MAX_PIXELS, DEFAULT_TIME_LIMIT);
    private static final ScheduledThreadPoolExecutor WATCHDOG =
            new ScheduledThreadPoolExecutor(1, DaemonThreads.named("image-decode-watchdog"));

    static {
        WATCHDOG.setRemoveOnCancelPolicy(true); // one alarm per image: do not keep the cancelled ones queued
    }

    static {
        // Streams are wrapped in memory caches explicitly; never spill to temp files.
        ImageIO.setUseCache(false);
    }

    private final long maxPixels;
    private final Duration timeLimit;

    private ImageLoader(long maxPixels, Duration timeLimit) {
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("time limit must be positive, got " + timeLimit);
        }
        this.maxPixels = maxPixels;
        this.timeLimit = timeLimit;
    }

    /** A loader rejecting images with more than {@code maxPixels} pixels (width * height). */
    public static ImageLoader withMaxPixels(long maxPixels) {
        return new ImageLoader(maxPixels, DEFAULT_TIME_LIMIT);
    }

    /** This loader with a different per-image decoding time limit. */
    public ImageLoader withTimeLimit(Duration limit) {
        return new ImageLoader(maxPixels, limit);
    }

    public Duration timeLimit() {
        return timeLimit;
    }

    /** A loader with {@link #DEFAULT_MAX_PIXELS}. */
    public static ImageLoader defaults() {
        return DEFAULT;
    }

    /** {@link #read(Path)} with the default pixel limit. */
    public static RgbImage load(Path file) {
        return DEFAULT.read(file);
    }

    /** {@link #read(byte[], String)} with the default pixel limit. */
    public static RgbImage load(byte[] encoded, String source) {
        return DEFAULT.read(encoded, source);
    }

    /** {@link #read(InputStream, String)} with the default pixel limit. */
    public static RgbImage load(InputStream in, String source) {
        return DEFAULT.read(in, source);
    }

    public long maxPixels() {
        return maxPixels;
    }

    public RgbImage read(Path file) {
        String source = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new ImageDecodeException(source, Files.exists(file) ? "not a regular file" : "file not found");
        }
        try (GuardedImageInput.Stream iis = GuardedImageInput.over(file.toFile())) {
            return decode(iis, source);
        } catch (IOException e) {
            throw new ImageDecodeException(source, "cannot read file: " + e.getMessage(), e);
        }
    }

    /** Decodes an encoded image held in memory; {@code source} labels it in error messages (e.g. a shard key). */
    public RgbImage read(byte[] encoded, String source) {
        return read(new ByteArrayInputStream(encoded), source);
    }

    /** Decodes one image from {@code in} (not closed); {@code source} labels it in error messages. */
    public RgbImage read(InputStream in, String source) {
        try (GuardedImageInput.Stream iis = GuardedImageInput.over(in)) {
            return decode(iis, source);
        } catch (IOException e) {
            throw new ImageDecodeException(source, "cannot read stream: " + e.getMessage(), e);
        }
    }

    /**
     * Finds a reader, checks the size and decodes, all under the time limit: when it passes, the watchdog makes every
     * further read of the input fail (stopping loops inside header or entropy-table parsing) and aborts the reader
     * (checked between rows).
     */
    private RgbImage decode(GuardedImageInput.Stream iis, String source) throws IOException {
        GuardedImageInput guard = iis.guard();
        AtomicReference<ImageReader> current = new AtomicReference<>();
        ScheduledFuture<?> alarm = WATCHDOG.schedule(() -> {
            guard.abort();
            ImageReader r = current.get();
            if (r != null) {
                r.abort();
            }
        }, timeLimit.toNanos(), TimeUnit.NANOSECONDS);
        try {
            return decodeWith(iis, source, current);
        } finally {
            alarm.cancel(false);
        }
    }

    private RgbImage decodeWith(GuardedImageInput.Stream iis, String source, AtomicReference<ImageReader> current)
            throws IOException {
        Iterator<ImageReader> readers;
        try {
            readers = ImageIO.getImageReaders(iis);
        } catch (RuntimeException e) {
            throw iis.guard().aborted() ? timedOut(source, "", e) : e;
        }
        if (!readers.hasNext()) {
            throw new ImageDecodeException(source, iis.guard().aborted() ? "took longer than the limit of "
                    + timeLimit.toMillis() + " ms to identify" : iis.length() == 0 ? "empty file"
                    : "not a recognized image format (expected PNG, JPEG, BMP, GIF or WebP)");
        }
        ImageReader reader = readers.next();
        current.set(reader);
        String format = formatName(reader);
        List<String> warnings = new ArrayList<>();
        try {
            reader.setInput(iis, true, false);
            reader.addIIOReadWarningListener((r, message) -> warnings.add(message));
            checkPixelLimit(source, format, reader.getWidth(0), reader.getHeight(0));
            BufferedImage img = reader.read(0);
            if (iis.guard().aborted()) {
                throw timedOut(source, format, null);
            }
            failOnTruncation(source, format, warnings);
            return PilRgbConversion.toRgb(img);
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (iis.guard().aborted()) {
                throw timedOut(source, format, e);
            }
            // Corrupt data surfaces as IIOException, EOFException, or (from some plugins) runtime exceptions.
            throw new ImageDecodeException(source, "corrupt or truncated " + format + " image: " + e, e);
        } catch (OutOfMemoryError e) {
            throw new ImageDecodeException(source, "out of memory decoding " + format
                    + " image; lower the pixel limit (currently " + maxPixels + ") or raise -Xmx", e);
        } finally {
            reader.dispose();
        }
    }

    private ImageDecodeException timedOut(String source, String format, Exception cause) {
        return new ImageDecodeException(source, "decoding the " + (format.isEmpty() ? "" : format + " ")
                + "image took longer than the limit of "
                + timeLimit.toMillis() + " ms; aborted (pathological or hostile file?)", cause);
    }

    private void checkPixelLimit(String source, String format, int width, int height) {
        long pixels = (long) width * height;
        if (width <= 0 || height <= 0) {
            throw new ImageDecodeException(source, format + " header has invalid size " + width + "x" + height);
        }
        if (pixels > maxPixels) {
            throw new ImageDecodeException(source, String.format(Locale.ROOT,
                    "image size %dx%d (%,d pixels) exceeds the limit of %,d pixels (possible decompression bomb)",
                    width, height, pixels, maxPixels));
        }
    }

    /**
     * The JPEG decoder only warns at a premature end of data and returns a gray-filled image; PIL raises
     * "image file is truncated" there, so we fail as well. Other decoder warnings are tolerated, as in PIL.
     */
    private static void failOnTruncation(String source, String format, List<String> warnings) {
        for (String w : warnings) {
            String lower = w.toLowerCase(Locale.ROOT);
            if (lower.contains("premature end") || lower.contains("truncated") || lower.contains("end of file")) {
                throw new ImageDecodeException(source, "truncated " + format + " image: " + w);
            }
        }
    }

    private static String formatName(ImageReader reader) {
        try {
            return reader.getFormatName().toUpperCase(Locale.ROOT);
        } catch (IOException e) {
            return "image";
        }
    }
}
