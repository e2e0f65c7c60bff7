package org.blip4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Blocked top-k equals a full sort of every score, for any block size, with ties ranked by row. */
class BlockedTopKTest {
    static float[][] random(Random r, int n, int d) {
        float[][] m = new float[n][d];
        for (float[] row : m) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return m;
    }

    static List<BlockedTopK.Hit> bruteForce(float[] q, float[][] rows, int k) {
        List<BlockedTopK.Hit> all = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            double s = 0;
            for (int j = 0; j < q.length; j++) {
                s += (double) q[j] * rows[i][j];
            }
            all.add(new BlockedTopK.Hit(i, s));
        }
        all.sort(Comparator.comparingDouble(BlockedTopK.Hit::score).reversed().thenComparingInt(BlockedTopK.Hit::row));
        return all.subList(0, Math.min(k, all.size()));
    }

    @Test
    void equalsAFullSortForEveryBlockSize() {
        Random r = new Random(1);
        float[][] rows = random(r, 1000, 16);
        float[][] queries = random(r, 7, 16);
        for (int block : new int[] {1, 3, 64, 999, 1000, 5000}) {
            for (int k : new int[] {1, 10, 1000, 2000}) {
                List<List<BlockedTopK.Hit>> got = BlockedTopK.search(queries, BlockedTopK.of(rows), k, block);
                for (int q = 0; q < queries.length; q++) {
                    assertEquals(bruteForce(queries[q], rows, k), got.get(q), "block " + block + " k " + k);
                }
            }
        }
    }

    @Test
    void tiesRankTheLowerRowFirst() {
        float[][] rows = {{1, 0}, {0, 1}, {1, 0}, {1, 0}};
        List<BlockedTopK.Hit> hits = BlockedTopK.search(new float[][] {{1, 0}}, BlockedTopK.of(rows), 2, 1).get(0);
        assertEquals(List.of(new BlockedTopK.Hit(0, 1), new BlockedTopK.Hit(2, 1)), hits);
    }

    @Test
    void emptyRowsAndBadArguments() {
        BlockedTopK.Rows empty = new BlockedTopK.Rows() {
            @Override
            public int size() {
                return 0;
            }

            @Override
            public int dim() {
                return 1;
            }

            @Override
            public void copy(int from, int to, float[] dst) {
            }
        };
        assertEquals(List.of(), BlockedTopK.search(new float[][] {{1}}, empty, 3, 8).get(0));
        assertThrows(IllegalArgumentException.class,
                () -> BlockedTopK.search(new float[][] {{1, 2}}, BlockedTopK.of(new float[][] {{1}}), 1, 8));
        assertThrows(IllegalArgumentException.class,
                () -> BlockedTopK.search(new float[][] {{1}}, BlockedTopK.of(new float[][] {{1}}), 0, 8));
    }
}
