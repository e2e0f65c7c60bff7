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
        // -Dblip4j.bench.hnsw.dir=DIR keeps the index there (and reuses it when it exists: the build takes minutes)
        String keep = System.getProperty("blip4j.bench.hnsw.dir");
        Path dir = keep != null ? Path.of(keep) : Files.createTempDirectory("hnsw-bench");
        long t0 = System.nanoTime();
        long t1 = t0;
        if (!IndexManifest.exists(dir)) {
            float[][] v = EmbeddingIndexTest.unitVectors(7, n, d);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add("v" + i);
            }
            EmbeddingIndexWriter w = EmbeddingIndexWriter.open(dir, "random", d, 1);
            w.append("images", ids, v);
            t1 = System.nanoTime();
            w.finish();
        }
        long t2 = System.nanoTime();
        float[][] queries = EmbeddingIndexTest.unitVectors(8, Integer.getInteger("blip4j.bench.hnsw.queries", 200), d);
        String list = System.getProperty("blip4j.bench.hnsw.candidates", "10,50,100,200,400");
        try (EmbeddingIndex idx = EmbeddingIndex.open(dir)) {
            for (int candidates : java.util.Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray()) {
                double recall = HnswRecall.recallAt10(idx, "images", queries, candidates);
                long q0 = System.nanoTime();
                for (float[] q : queries) {
                    idx.approximate("images", q, 10, candidates);
                }
                long q1 = System.nanoTime();
                System.out.printf("HNSW n=%d d=%d candidates=%d recall@10=%.4f, %.2f ms/query (graph search +"
                        + " exact rescoring)%n", n, d, candidates, recall, (q1 - q0) / 1e6 / queries.length);
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
