package org.blip4j.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A deterministic toy step function: logits are a pseudo-random function of the whole prefix. */
final class ToyLanguageModel implements StepFunction {
    final int vocab;
    final long salt;
    List<long[]> prefixes = new ArrayList<>();

    ToyLanguageModel(int vocab, long salt) {
        this.vocab = vocab;
        this.salt = salt;
    }

    float[] logitsOf(long[] prefix) {
        long h = salt;
        for (long t : prefix) {
            h = h * 1_000_003L + t + 7;
        }
        SplittableRandom r = new SplittableRandom(h);
        float[] l = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            l[i] = (float) (r.nextGaussian() * 2.0);
        }
        return l;
    }

    @Override
    public float[][] step(long[][] newTokens) {
        if (prefixes.isEmpty()) {
            for (long[] t : newTokens) {
                prefixes.add(t.clone());
            }
        } else {
            for (int r = 0; r < newTokens.length; r++) {
                long[] p = prefixes.get(r);
                long[] q = java.util.Arrays.copyOf(p, p.length + newTokens[r].length);
                System.arraycopy(newTokens[r], 0, q, p.length, newTokens[r].length);
                prefixes.set(r, q);
            }
        }
        float[][] out = new float[newTokens.length][];
        for (int r = 0; r < out.length; r++) {
            out[r] = logitsOf(prefixes.get(r));
        }
        return out;
    }

    @Override
    public void reorder(int[] rows) {
        List<long[]> next = new ArrayList<>();
        for (int r : rows) {
            next.add(prefixes.get(r).clone());
        }
        prefixes = next;
    }
}
