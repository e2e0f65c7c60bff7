package org.blip4j.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.blip4j.eval.BlockedTopK;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Index files: append, reopen, crash leftovers, manifest validation, exact search, HNSW recall. */
class EmbeddingIndexTest {
    @TempDir
    Path tmp;

    /** n random unit vectors (seeded). */
    static float[][] unitVectors(long seed, int n, int d) {
        Random r = new Random(seed);
        float[][] m = new float[n][d];
        for (float[] v : m) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                v[j] = (float) r.nextGaussian();
                norm += v[j] * v[j];
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < d; j++) {
                v[j] *= inv;
            }
        }
        return m;
    }

    static List<String> ids(int from, int n) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add("id-" + i);
        }
        return out;
    }

    @Test
    void appendsReopensAndSearchesExactly() throws IOException {
        Path dir = tmp.resolve("idx");
        float[][] a = unitVectors(1, 50, 8);
        float[][] b = unitVectors(2, 30, 8);
        EmbeddingIndexWriter w = EmbeddingIndexWriter.open(dir, "m", 8, null);
        assertEquals(50, w.append("images", ids(0, 50), a));
        w.finish();
        EmbeddingIndexWriter w2 = EmbeddingIndexWriter.open(dir, "m", 8, null);
        List<String> again = new ArrayList<>(ids(40, 10));
        again.addAll(ids(50, 30));
        float[][] both = new float[40][];
        System.arraycopy(a, 40, both, 0, 10);
        System.arraycopy(b, 0, both, 10, 30);
        assertEquals(30, w2.append("images", again, both), "ids already indexed are skipped");
        w2.finish();
        float[][] all = new float[80][];
        System.arraycopy(a, 0, all, 0, 50);
        System.arraycopy(b, 0, all, 50, 30);
        try (EmbeddingIndex idx = EmbeddingIndex.open(dir)) {
            assertEquals(80, idx.size("images"));
            assertFalse(idx.approximate("images"));
            float[] q = unitVectors(3, 1, 8)[0];
            List<BlockedTopK.Hit> expected = BlockedTopK.search(new float[][] {q}, BlockedTopK.of(all), 10, 7).get(0);
            List<EmbeddingIndex.Hit> got = idx.search("images", q, 10);
            for (int i = 0; i < 10; i++) {
                assertEquals("id-" + expected.get(i).row(), got.get(i).id());
                assertEquals(expected.get(i).score(), got.get(i).score(), 0);
                assertEquals(i + 1, got.get(i).rank());
            }
        }
    }

    @Test
    void rowsPastTheManifestFromACrashedAppendAreIgnoredAndCutOff() throws IOException {
        Path dir = tmp.resolve("idx");
        EmbeddingIndexWriter w = EmbeddingIndexWriter.open(dir, "m", 4, null);
        w.append("images", ids(0, 5), unitVectors(1, 5, 4));
        w.finish();
        // a crash after writing data but before the manifest commit
        Files.write(dir.resolve("images.f32"), new byte[4 * 4 * 3], StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("images.ids.jsonl"), "\"ghost\"\n", StandardOpenOption.APPEND);
        try (EmbeddingIndex idx = EmbeddingIndex.open(dir)) {
            assertEquals(5, idx.size("images"));
        }
        EmbeddingIndexWriter w2 = EmbeddingIndexWriter.open(dir, "m", 4, null);
        w2.append("images", ids(5, 2), unitVectors(2, 2, 4));
        w2.finish();
        assertEquals(7 * 4 * 4, Files.size(dir.resolve("images.f32")));
        assertEquals(7, Files.readAllLines(dir.resolve("images.ids.jsonl")).size());
    }

    @Test
    void badManifestsAreRefusedNamingTheProblem() throws IOException {
        Path dir = tmp.resolve("idx");
        EmbeddingIndexWriter w = EmbeddingIndexWriter.open(dir, "m", 4, null);
        w.append("images", ids(0, 3), unitVectors(1, 3, 4));
        w.finish();
        String good = Files.readString(dir.resolve("index.json"));
        Files.writeString(dir.resolve("index.json"), good.replace("\"dim\" : 4", "\"dim\" : 5"));
        IOException size = assertThrows(IOException.class, () -> EmbeddingIndex.open(dir));
        assertTrue(size.getMessage().contains("images.f32"), size.getMessage());
        Files.writeString(dir.resolve("index.json"), good.replace("\"model\"", "\"extra\" : 1, \"model\""));
        IOException key = assertThrows(IOException.class, () -> EmbeddingIndex.open(dir));
        assertTrue(key.getMessage().contains("'extra'"), key.getMessage());
        Files.writeString(dir.resolve("index.json"), good);
        IOException model = assertThrows(IOException.class, () -> EmbeddingIndexWriter.open(dir, "other", 4, null));
        assertTrue(model.getMessage().contains("'m'"), model.getMessage());
        assertThrows(IOException.class, () -> EmbeddingIndex.open(tmp.resolve("nothing")));
    }

    @Test
    void hnswAboveTheThresholdHasHighRecallAndAppendedRowsAreStillFound() throws IOException {
        int n = 4000;
        int d = 32;
        Path dir = tmp.resolve("hnsw");
        float[][] v = unitVectors(11, n, d);
        EmbeddingIndexWriter w = EmbeddingIndexWriter.open(dir, "m", d, 1000);
        w.append("images", ids(0, n), v);
        w.finish();
        float[][] queries = unitVectors(12, 50, d);
        try (EmbeddingIndex idx = EmbeddingIndex.open(dir)) {
            assertTrue(idx.approximate("images"));
            double recall = HnswRecall.recallAt10(idx, "images", queries, HnswVectors.DEFAULT_CANDIDATES);
            assertTrue(recall >= 0.95, "recall@10 " + recall);
        }
        // rows appended after the graph are scanned exactly until the next finish()
        EmbeddingIndexWriter w2 = EmbeddingIndexWriter.open(dir, "m", d, null);
        float[] target = queries[0];
        w2.append("images", List.of("appended"), new float[][] {target});
        try (EmbeddingIndex idx = EmbeddingIndex.open(dir)) {
            assertEquals("appended", idx.search("images", target, 10).get(0).id());
        }
        w2.finish();
        try (EmbeddingIndex idx = EmbeddingIndex.open(dir)) {
            assertEquals("appended", idx.search("images", target, 10).get(0).id());
        }
    }
}
