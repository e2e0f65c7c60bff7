package org.blip4j.image;

import java.util.Random;

/**
 * torchvision {@code RandomResizedCrop(size, scale=(minScale, maxScale), ratio=(3/4, 4/3),
 * interpolation=BICUBIC)} on a PIL image: sample a box, crop it, then PIL-resize the crop to size x size.
 * Random numbers come from a {@link Random}, so results are reproducible per seed (not torch's stream).
 */
public final class RandomResizedCrop {
    private static final int ATTEMPTS = 10;

    private final int size;
    private final double minScale;
    private final double maxScale;
    private final double minRatio;
    private final double maxRatio;

    /** BLIP's crop: area scale in (minScale, 1), aspect ratio in (3/4, 4/3). */
    public RandomResizedCrop(int size, double minScale) {
        this(size, minScale, 1.0, 3.0 / 4.0, 4.0 / 3.0);
    }

    public RandomResizedCrop(int size, double minScale, double maxScale, double minRatio, double maxRatio) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        if (!(minScale > 0 && minScale <= maxScale && maxScale <= 1.0)) {
            throw new IllegalArgumentException("need 0 < minScale <= maxScale <= 1, got " + minScale + ", " + maxScale);
        }
        if (!(minRatio > 0 && minRatio <= maxRatio)) {
            throw new IllegalArgumentException("need 0 < minRatio <= maxRatio, got " + minRatio + ", " + maxRatio);
        }
        this.size = size;
        this.minScale = minScale;
        this.maxScale = maxScale;
        this.minRatio = minRatio;
        this.maxRatio = maxRatio;
    }

    /** torchvision {@code get_params}: up to 10 tries, else a centre crop clamped to the ratio range. */
    public CropBox sampleBox(int width, int height, Random rnd) {
        double area = (double) width * height;
        double logMin = Math.log(minRatio);
        double logMax = Math.log(maxRatio);
        for (int i = 0; i < ATTEMPTS; i++) {
            double targetArea = area * uniform(rnd, minScale, maxScale);
            double aspect = Math.exp(uniform(rnd, logMin, logMax));
            int w = (int) Math.rint(Math.sqrt(targetArea * aspect)); // Python round(): half to even
            int h = (int) Math.rint(Math.sqrt(targetArea / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height) {
                int top = rnd.nextInt(height - h + 1);
                int left = rnd.nextInt(width - w + 1);
                return new CropBox(left, top, w, h);
            }
        }
        double inRatio = (double) width / height;
        int w = width;
        int h = height;
        if (inRatio < minRatio) {
            h = (int) Math.rint(w / minRatio);
        } else if (inRatio > maxRatio) {
            w = (int) Math.rint(h * maxRatio);
        }
        return new CropBox((width - w) / 2, (height - h) / 2, w, h);
    }

    public RgbImage apply(RgbImage img, Random rnd) {
        CropBox b = sampleBox(img.width(), img.height(), rnd);
        RgbImage crop = img.crop(b.left(), b.top(), b.width(), b.height());
        return PilResampler.resize(crop, size, size, ResampleFilter.BICUBIC);
    }

    public int size() {
        return size;
    }

    private static double uniform(Random rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }
}
