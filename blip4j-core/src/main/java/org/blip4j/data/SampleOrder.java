package org.blip4j.data;

import java.util.Random;
import java.util.SplittableRandom;

/**
 * The loader's randomness, as pure functions of (seed, epoch, position): the epoch's sample order and each
 * sample's augmentation and caption-choice generators. Nothing depends on which thread runs what, which is what
 * makes output identical for any worker count and lets a resumed run recreate the same streams.
 */
final class SampleOrder {
    private static final long SHUFFLE = 0x5348_5546_464cL;
    private static final long AUGMENT = 0x4155_474dL;
    private static final long CAPTION = 0x4341_5054L;

    private SampleOrder() {
    }

    /** Sample indices in epoch order: a Fisher-Yates shuffle keyed by (seed, epoch), or the identity. */
    static int[] order(int n, long seed, int epoch, boolean shuffle) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (shuffle) {
            SplittableRandom rnd = new SplittableRandom(key(seed, epoch, SHUFFLE, 0));
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /** The augmentation generator of the sample at {@code position} of the epoch order. */
    static Random augmentation(long seed, int epoch, int position) {
        return new Random(key(seed, epoch, AUGMENT, position));
    }

    /** Picks among several captions; a separate stream so the choice never shifts the augmentation draws. */
    static Random captionChoice(long seed, int epoch, int position) {
        return new Random(key(seed, epoch, CAPTION, position));
    }

    private static long key(long seed, int epoch, long stream, int position) {
        long h = mix(seed ^ 0x9E37_79B9_7F4A_7C15L);
        h = mix(h ^ epoch);
        h = mix(h ^ stream);
        return mix(h ^ position);
    }

    /** SplitMix64 finaliser: nearby inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
