package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;
import org.blip4j.engine.Engines;
import org.junit.jupiter.api.Test;

class MatchingLossWeightsTest {

    @Test
    void sharpRowsKeepTheirAllowedNegatives() {
        // a same-image entry 1000 above the rest: torch's softmax underflows every other weight to 0
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            NDArray sim = m.create(new float[] {1000f, 0f, -5f, 3f, 1000f, 3f}, new ai.djl.ndarray.types.Shape(2, 3));
            boolean[][] same = {{true, false, false}, {false, true, false}};
            float[][] w = MatchingLoss.weights(sim, same, 0f);
            assertEquals(0f, w[0][0]);
            assertEquals(Math.exp(5), w[0][1] / w[0][2], 1e-3);
            assertEquals(1.0, w[1][0] / w[1][2], 1e-6);
            int[] pick = NegativeSampler.multinomial(new Random(1)).choose(w);
            assertEquals(false, same[0][pick[0]]);
            assertEquals(false, same[1][pick[1]]);
        }
    }

    @Test
    void floorIsAddedToTheFullRowSoftmax() {
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            float[] s = {0.5f, -1f, 2f};
            NDArray sim = m.create(s, new ai.djl.ndarray.types.Shape(1, 3));
            float[][] w = MatchingLoss.weights(sim, new boolean[][] {{true, false, false}}, 1e-4f);
            double z = Math.exp(0.5) + Math.exp(-1) + Math.exp(2);
            assertEquals(0f, w[0][0]);
            assertEquals(Math.exp(-1) / z + 1e-4, w[0][1], 1e-6);
            assertEquals(Math.exp(2) / z + 1e-4, w[0][2], 1e-6);
        }
    }
}
