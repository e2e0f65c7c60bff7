package org.blip4j.train;

import java.util.Random;

/**
 * Hard-negative choice for ITM (orig {@code BLIP_Pretrain.forward}, {@code torch.multinomial(weights_t2i[b], 1)}): one
 * index per row drawn with probability proportional to the row's weights, as torch.multinomial(w, 1). An interface so
 * tests can fix the assignment.
 */
@FunctionalInterface
public interface NegativeSampler {
    /** @param weights rows of non-negative weights (zero where a negative is not allowed) */
    int[] choose(float[][] weights);

    static NegativeSampler multinomial(Random rng) {
        return weights -> {
            int[] out = new int[weights.length];
            for (int b = 0; b < weights.length; b++) {
                double total = 0;
                for (float w : weights[b]) {
                    total += w;
                }
                if (Double.isNaN(total) || Double.isInfinite(total)) {
                    throw new IllegalStateException("hard-negative weights of row " + b + " are not finite ("
                            + total + "): the similarities are NaN/Inf, the model has diverged");
                }
                if (!(total > 0)) {
                    throw new IllegalStateException("no valid negative for row " + b
                            + " (every candidate shares its image id; use a batch with at least two images)");
                }
                double u = rng.nextDouble() * total;
                double cum = 0;
                int pick = -1;
                for (int j = 0; j < weights[b].length; j++) {
                    if (weights[b][j] > 0) {
                        cum += weights[b][j];
                        pick = j;
                        if (u < cum) {
                            break;
                        }
                    }
                }
                out[b] = pick;
            }
            return out;
        };
    }

    static NegativeSampler fixed(int[] assignment) {
        return weights -> assignment.clone();
    }
}
