package org.blip4j.train.vision;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.blip4j.image.ImagePreprocessor;

/** Decodes images per batch (constant memory whatever the set's size); unreadable ones are skipped, counted. */
final class VisionImages {
    /** Decoded images of one step, in CHW float order, with their labels. */
    record Batch(List<VisionExample> examples, float[] pixels) {
    }

    private final Path root;
    private final ImagePreprocessor pre;
    private final Set<String> bad = new HashSet<>();

    VisionImages(Path root, ImagePreprocessor pre) {
        this.root = root;
        this.pre = pre;
    }

    Batch batch(List<VisionExample> from, EpochSampler sampler, int size) {
        List<VisionExample> picked = new ArrayList<>();
        List<float[]> pixels = new ArrayList<>();
        int tries = 0;
        while (picked.size() < size) {
            if (++tries > 4 * size + from.size()) {
                throw new IllegalStateException("no readable images under " + root + " (" + bad.size()
                        + " failed)");
            }
            take(from.get(sampler.next()), picked, pixels);
        }
        return new Batch(picked, concat(pixels));
    }

    Batch slice(List<VisionExample> from, int start, int end) {
        List<VisionExample> picked = new ArrayList<>();
        List<float[]> pixels = new ArrayList<>();
        for (VisionExample e : from.subList(start, end)) {
            take(e, picked, pixels);
        }
        return new Batch(picked, concat(pixels));
    }

    /** Decodes {@code e} into the batch being built; an unreadable image is left out (and counted). */
    private void take(VisionExample e, List<VisionExample> picked, List<float[]> pixels) {
        float[] p = load(e);
        if (p != null) {
            picked.add(e);
            pixels.add(p);
        }
    }

    private float[] load(VisionExample e) {
        if (bad.contains(e.image())) {
            return null;
        }
        try {
            return pre.toPixels(root.resolve(e.image()));
        } catch (RuntimeException ex) {
            bad.add(e.image());
            return null;
        }
    }

    int skipped() {
        return bad.size();
    }

    private static float[] concat(List<float[]> parts) {
        int n = parts.stream().mapToInt(a -> a.length).sum();
        float[] out = new float[n];
        int o = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, out, o, a.length);
            o += a.length;
        }
        return out;
    }
}
