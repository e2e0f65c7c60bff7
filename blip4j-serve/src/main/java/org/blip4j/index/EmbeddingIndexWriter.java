package org.blip4j.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Creates or appends to an index directory. Each {@link #append} writes vectors and ids after the committed rows
 * and then commits the manifest atomically, so a crash loses at most the uncommitted append and a rerun resumes:
 * ids already in the collection are skipped. {@link #finish} builds or extends the HNSW graph of collections at
 * or above {@code hnsw_above} rows.
 */
public final class EmbeddingIndexWriter {
    /** Collections at least this large get an HNSW graph unless told otherwise. */
    public static final int DEFAULT_HNSW_ABOVE = 100_000;

    private final Path dir;
    private IndexManifest manifest;
    private final Map<String, Set<String>> known = new java.util.HashMap<>();

    private EmbeddingIndexWriter(Path dir, IndexManifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    /**
     * Opens {@code dir} for appending, or starts a new index there. An existing index must have the same dimension
     * and model; {@code hnswAbove} null keeps the existing setting (or the default for a new index).
     */
    public static EmbeddingIndexWriter open(Path dir, String model, int dim, Integer hnswAbove) throws IOException {
        if (IndexManifest.exists(dir)) {
            IndexManifest m = IndexManifest.read(dir);
            if (m.dim() != dim) {
                throw new IOException(dir + ": index holds " + m.dim() + "-d vectors, this model writes " + dim);
            }
            if (!m.model().equals(model)) {
                throw new IOException(dir + ": index was built with model '" + m.model() + "', not '" + model + "'");
            }
            if (hnswAbove != null && hnswAbove != m.hnswAbove()) {
                m = new IndexManifest(m.dim(), m.model(), m.base(), hnswAbove, m.collections());
            }
            EmbeddingIndexWriter w = new EmbeddingIndexWriter(dir, m);
            for (String c : m.collections().keySet()) {
                w.known.put(c, new HashSet<>(IdFile.read(dir.resolve(c + ".ids.jsonl"), m.counts(c).count())));
            }
            return w;
        }
        Files.createDirectories(dir);
        String base = Path.of("").toAbsolutePath().toString();
        return new EmbeddingIndexWriter(dir, new IndexManifest(dim, model, base,
                hnswAbove == null ? DEFAULT_HNSW_ABOVE : hnswAbove, Map.of()));
    }

    public IndexManifest manifest() {
        return manifest;
    }

    /** Whether the collection already holds this id (a rerun skips it). */
    public boolean contains(String collection, String id) {
        return known.getOrDefault(collection, Set.of()).contains(id);
    }

    /** Appends rows whose ids are new to the collection and commits; returns how many were added. */
    public int append(String collection, List<String> ids, float[][] vectors) throws IOException {
        if (!IndexManifest.COLLECTIONS.contains(collection)) {
            throw new IllegalArgumentException("unknown collection '" + collection + "' (images or texts)");
        }
        if (ids.size() != vectors.length) {
            throw new IllegalArgumentException(ids.size() + " ids for " + vectors.length + " vectors");
        }
        Set<String> seen = known.computeIfAbsent(collection, c -> new HashSet<>());
        List<String> newIds = new ArrayList<>();
        List<float[]> newVecs = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (seen.add(ids.get(i))) {
                newIds.add(ids.get(i));
                newVecs.add(vectors[i]);
            }
        }
        if (newIds.isEmpty()) {
            return 0;
        }
        IndexManifest.Counts c = manifest.counts(collection);
        VectorFile.append(dir.resolve(collection + ".f32"), c.count(), manifest.dim(), newVecs.toArray(new float[0][]));
        IdFile.append(dir.resolve(collection + ".ids.jsonl"), c.count(), newIds);
        manifest = manifest.with(collection, new IndexManifest.Counts(c.count() + newIds.size(), c.hnsw()));
        manifest.write(dir);
        return newIds.size();
    }

    /** Commits the manifest (also for an empty index) and brings HNSW graphs up to date. */
    public void finish() throws IOException {
        for (String collection : manifest.collections().keySet()) {
            IndexManifest.Counts c = manifest.counts(collection);
            if (c.count() < manifest.hnswAbove() || c.hnsw() == c.count()) {
                continue;
            }
            Path graph = dir.resolve(collection + ".hnsw");
            int from = c.hnsw();
            if (from == 0 || !graphHolds(graph, from)) { // no graph, or one a crash left ahead of the manifest
                deleteTree(graph);
                from = 0;
            }
            VectorFile v = VectorFile.map(dir.resolve(collection + ".f32"), c.count(), manifest.dim());
            HnswVectors.add(graph, v, from, c.count());
            manifest = manifest.with(collection, new IndexManifest.Counts(c.count(), c.count()));
        }
        manifest.write(dir);
    }

    private static boolean graphHolds(Path graph, int n) {
        try (HnswVectors h = HnswVectors.open(graph)) {
            return h.size() == n;
        } catch (IOException e) {
            return false;
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
