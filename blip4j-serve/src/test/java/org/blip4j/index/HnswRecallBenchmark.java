package org.blip4j.index;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The recorded HNSW figure (docs/BENCHMARKS.md): recall@10 vs exact on 100k random 256-d unit vectors, build and
 * query times. Opt-in, minutes long:
 * {@code mvn -o -B -pl blip4j-serve -am test -Dtest=HnswRecallBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * -Dblip4j.bench.hnsw=true}.
 */
@EnabledIfSystemProperty(named = "blip4j.bench.hnsw", matches = "true")
class HnswRecallBenchmark {
    @Test
    void recallOn100kRandomUnitVectors() throws Exception {
        int n = Integer.getInteger("blip4j.bench.hnsw.n", 100_000);
        int d = 256;
        Path dir = Files.createTempDirectory("hnsw-bench");
        float[][] v = EmbeddingIndexTest.unitVectors(7, n, d);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("v" + i);
        }
        long t0 = System.nanoTime();
        EmbeddingIndexWriter w = EmbeddingIndexWriter.open(dir, "random", d, 1);
        w.append("images", ids, v);
        long t1 = System.nanoTime();
        w.finish();
        long t2 = System.nanoTime();
        float[][] queries = EmbeddingIndexTest.unitVectors(8, 200, d);
        try (EmbeddingIndex idx = EmbeddingIndex.open(dir)) {
            for (int candidates : new int[] {10, 50, 100, 200, 400}) {
                long q0 = System.nanoTime();
                double recall = HnswRecall.recallAt10(idx, "images", queries, candidates);
                long q1 = System.nanoTime();
                System.out.printf("HNSW n=%d d=%d candidates=%d recall@10=%.4f (recall loop incl. exact: %.2f ms/query)%n",
                        n, d, candidates, recall, (q1 - q0) / 1e6 / queries.length);
            }
            long e0 = System.nanoTime();
            for (float[] q : queries) {
                idx.exact("images", q, 10);
            }
            long e1 = System.nanoTime();
            for (float[] q : queries) {
                idx.search("images", q, 10);
            }
            long e2 = System.nanoTime();
            System.out.printf("write %.1f s, HNSW build %.1f s; exact %.2f ms/query, HNSW (100 candidates, rescored)"
                    + " %.2f ms/query%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, (e1 - e0) / 1e6 / queries.length,
                    (e2 - e1) / 1e6 / queries.length);
        }
    }
}
