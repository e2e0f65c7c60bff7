package org.blip4j.index;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Recall@10 of the HNSW path against exact search (share of the exact top 10 the graph search returns). */
final class HnswRecall {
    private HnswRecall() {
    }

    static double recallAt10(EmbeddingIndex idx, String collection, float[][] queries, int candidates)
            throws IOException {
        long found = 0;
        for (float[] q : queries) {
            Set<Integer> exact = new HashSet<>();
            for (EmbeddingIndex.Hit h : idx.exact(collection, q, 10)) {
                exact.add(h.row());
            }
            List<EmbeddingIndex.Hit> approx = idx.approximate(collection, q, 10, candidates);
            for (EmbeddingIndex.Hit h : approx) {
                if (exact.contains(h.row())) {
                    found++;
                }
            }
        }
        return found / (10.0 * queries.length);
    }
}
