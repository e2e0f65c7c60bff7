package org.blip4j.synth;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Options of {@link SyntheticWorld#generate}. {@code humanSize} and {@code testSize} of 0 mean "10% of
 * {@code size}, at least 20". {@code threads} only affects speed, never the output.
 *
 * @param out           output directory (images go to {@code out/images/})
 * @param seed          fixes every scene, caption, corruption and pixel
 * @param size          number of web images
 * @param noise         fraction of web texts that are corrupted, in [0, 1]
 * @param imageSize     side of the square PNGs in pixels
 * @param humanSize     clean, multi-caption images (0: automatic)
 * @param testSize      test images with 5 references each (0: automatic)
 * @param humanCaptions captions per human image
 * @param threads       rendering threads
 * @param visionSize    images of the labelled vision split, the world's ImageNet (0: none)
 */
public record SynthOptions(Path out, long seed, int size, double noise, int imageSize, int humanSize, int testSize,
                           int humanCaptions, int threads, int visionSize) {
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_SIZE = 5000;
    public static final double DEFAULT_NOISE = 0.4;
    public static final int DEFAULT_IMAGE_SIZE = 96;
    public static final int DEFAULT_HUMAN_CAPTIONS = 3;
    public static final int TEST_REFERENCES = 5;
    static final int MIN_SPLIT = 20;
    static final int MIN_SIZE = 10;

    public SynthOptions {
        Objects.requireNonNull(out, "out");
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("size must be at least " + MIN_SIZE + " web images, got " + size);
        }
        if (!(noise >= 0 && noise <= 1)) {
            throw new IllegalArgumentException("noise must be a fraction in [0, 1], got " + noise);
        }
        if (imageSize < 32 || imageSize > 1024) {
            throw new IllegalArgumentException("image size must be in [32, 1024] px, got " + imageSize);
        }
        if (humanSize < 0 || testSize < 0) {
            throw new IllegalArgumentException("human and test sizes must be >= 0 (0: automatic), got "
                    + humanSize + " and " + testSize);
        }
        if (humanCaptions < 1 || humanCaptions > TEST_REFERENCES) {
            throw new IllegalArgumentException("captions per human image must be in [1, " + TEST_REFERENCES
                    + "], got " + humanCaptions);
        }
        if (visionSize < 0) {
            throw new IllegalArgumentException("vision split size must be >= 0, got " + visionSize);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    public static SynthOptions defaults(Path out) {
        return new SynthOptions(out, DEFAULT_SEED, DEFAULT_SIZE, DEFAULT_NOISE, DEFAULT_IMAGE_SIZE, 0, 0,
                DEFAULT_HUMAN_CAPTIONS, Math.max(1, Runtime.getRuntime().availableProcessors()), 0);
    }

    public SynthOptions withSeed(long s) {
        return new SynthOptions(out, s, size, noise, imageSize, humanSize, testSize, humanCaptions, threads,
                visionSize);
    }

    public SynthOptions withSize(int n) {
        return new SynthOptions(out, seed, n, noise, imageSize, humanSize, testSize, humanCaptions, threads,
                visionSize);
    }

    public SynthOptions withNoise(double f) {
        return new SynthOptions(out, seed, size, f, imageSize, humanSize, testSize, humanCaptions, threads,
                visionSize);
    }

    public SynthOptions withImageSize(int px) {
        return new SynthOptions(out, seed, size, noise, px, humanSize, testSize, humanCaptions, threads,
                visionSize);
    }

    public SynthOptions withSplitSizes(int human, int test) {
        return new SynthOptions(out, seed, size, noise, imageSize, human, test, humanCaptions, threads,
                visionSize);
    }

    public SynthOptions withThreads(int n) {
        return new SynthOptions(out, seed, size, noise, imageSize, humanSize, testSize, humanCaptions, n, visionSize);
    }

    public SynthOptions withVisionSize(int n) {
        return new SynthOptions(out, seed, size, noise, imageSize, humanSize, testSize, humanCaptions, threads, n);
    }

    public SynthOptions withHumanCaptions(int n) {
        return new SynthOptions(out, seed, size, noise, imageSize, humanSize, testSize, n, threads, visionSize);
    }

    /** Human split size after resolving "automatic". */
    public int humanCount() {
        return humanSize > 0 ? humanSize : automatic();
    }

    /** Test split size after resolving "automatic". */
    public int testCount() {
        return testSize > 0 ? testSize : automatic();
    }

    private int automatic() {
        return Math.max(MIN_SPLIT, (int) Math.round(0.1 * size));
    }
}
