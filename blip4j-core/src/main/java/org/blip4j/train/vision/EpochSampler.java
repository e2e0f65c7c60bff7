package org.blip4j.train.vision;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Epoch-wise shuffled indices, reshuffled from the seed and epoch number. */
final class EpochSampler {
    private final List<Integer> order = new ArrayList<>();
    private final long seed;
    private int position;
    private int epoch;

    EpochSampler(int n, long seed) {
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        this.seed = seed;
        Collections.shuffle(order, new Random(seed));
    }

    int next() {
        if (position == order.size()) {
            epoch++;
            position = 0;
            Collections.shuffle(order, new Random(seed * 31 + epoch));
        }
        return order.get(position++);
    }
}
