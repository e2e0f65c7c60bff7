package org.blip4j.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.blip4j.eval.BlockedTopK;

/**
 * A read-only embedding index directory (written by {@link EmbeddingIndexWriter}): per collection the ids and the
 * memory-mapped normalised ITC vectors, and an HNSW graph once the collection reached the manifest's
 * {@code hnsw_above} size. Search is exact (blocked matrix product + top-k) below that size; above it the graph
 * proposes candidates, rows added since the graph was built are scanned exactly, and every candidate is rescored
 * exactly, so a score is always the true inner product. Thread-safe for searching.
 */
public final class EmbeddingIndex implements AutoCloseable {
    /** One result: rank (1 = best), the id as the index stored it, its row, and the inner product. */
    public record Hit(int rank, String id, int row, double score) {
    }

    /** One collection's data. */
    private record Collection(List<String> ids, VectorFile vectors, HnswVectors hnsw, int hnswRows) {
    }

    private final Path dir;
    private final IndexManifest manifest;
    private final Map<String, Collection> collections = new HashMap<>();
    private final Map<String, Integer> imageRows = new HashMap<>();
    private final int candidates;

    private EmbeddingIndex(Path dir, IndexManifest manifest, int candidates) {
        this.dir = dir;
        this.manifest = manifest;
        this.candidates = candidates;
    }

    public static EmbeddingIndex open(Path dir) throws IOException {
        return open(dir, DEFAULT_CANDIDATES);
    }

    /**
     * Neighbours an HNSW search collects before the top k are kept (Lucene's efSearch). The default suits real
     * embeddings, which have few effective dimensions; unstructured data needs far more (on 100k random 256-d unit
     * vectors recall@10 is 0.19 at 100 and 0.96 at 3,000, see docs/BENCHMARKS.md).
     */
    public static final int DEFAULT_CANDIDATES = HnswVectors.DEFAULT_CANDIDATES;

    /** Opens an index whose HNSW searches collect {@code candidates} neighbours (≥ 1). */
    public static EmbeddingIndex open(Path dir, int candidates) throws IOException {
        if (candidates < 1) {
            throw new IllegalArgumentException("HNSW candidates must be ≥ 1, got " + candidates);
        }
        IndexManifest m = IndexManifest.read(dir);
        EmbeddingIndex index = new EmbeddingIndex(dir, m, candidates);
        try {
            for (String name : m.collections().keySet()) {
                IndexManifest.Counts c = m.counts(name);
                List<String> ids = IdFile.read(dir.resolve(name + ".ids.jsonl"), c.count());
                VectorFile v = VectorFile.map(dir.resolve(name + ".f32"), c.count(), m.dim());
                HnswVectors h = c.hnsw() > 0 ? HnswVectors.open(dir.resolve(name + ".hnsw")) : null;
                if (h != null && h.size() != c.hnsw()) {
                    h.close();
                    throw new IOException(dir.resolve(name + ".hnsw") + ": holds " + h.size()
                            + " vectors, the manifest says " + c.hnsw() + "; rerun 'blip index' to rebuild it");
                }
                index.collections.put(name, new Collection(ids, v, h, c.hnsw()));
            }
        } catch (IOException | RuntimeException e) {
            index.close();
            throw e;
        }
        Collection images = index.collections.get("images");
        if (images != null) {
            for (int i = 0; i < images.ids().size(); i++) {
                index.imageRows.putIfAbsent(images.ids().get(i), i);
            }
        }
        return index;
    }

    public Path directory() {
        return dir;
    }

    public IndexManifest manifest() {
        return manifest;
    }

    public int dim() {
        return manifest.dim();
    }

    public boolean has(String collection) {
        return collections.containsKey(collection) && size(collection) > 0;
    }

    public int size(String collection) {
        Collection c = collections.get(collection);
        return c == null ? 0 : c.ids().size();
    }

    /** Whether a search of this collection goes through the HNSW graph. */
    public boolean approximate(String collection) {
        Collection c = collections.get(collection);
        return c != null && c.hnsw() != null;
    }

    /** The k best rows for the query: exact below the HNSW size, graph candidates rescored exactly above it. */
    public List<Hit> search(String collection, float[] query, int k) throws IOException {
        Collection c = require(collection, query);
        return c.hnsw() == null ? exact(c, query, k) : graph(c, query, k, candidates);
    }

    /** Exact top-k whatever the size (the reference the graph is measured against). */
    public List<Hit> exact(String collection, float[] query, int k) {
        return exact(require(collection, query), query, k);
    }

    /** Graph search with {@code candidates} neighbours collected (Lucene's efSearch); needs an HNSW graph. */
    public List<Hit> approximate(String collection, float[] query, int k, int candidates) throws IOException {
        Collection c = require(collection, query);
        if (c.hnsw() == null) {
            throw new IllegalStateException("collection '" + collection + "' has no HNSW graph");
        }
        return graph(c, query, k, candidates);
    }

    private Collection require(String collection, float[] query) {
        Collection c = collections.get(collection);
        if (c == null) {
            throw new IllegalArgumentException(dir + ": the index has no " + collection + " (index was built with "
                    + manifest.collections().keySet() + ")");
        }
        if (query.length != dim()) {
            throw new IllegalArgumentException("query has dimension " + query.length + ", the index " + dim()
                    + " (was it built with another model?)");
        }
        return c;
    }

    private static List<Hit> exact(Collection c, float[] query, int k) {
        List<BlockedTopK.Hit> hits = BlockedTopK.search(new float[][] {query}, c.vectors(), k,
                BlockedTopK.DEFAULT_BLOCK_ROWS).get(0);
        return ranked(c, hits);
    }

    private static List<Hit> graph(Collection c, float[] query, int k, int candidates) throws IOException {
        Set<Integer> rows = new LinkedHashSet<>(c.hnsw().search(query, k, candidates));
        List<BlockedTopK.Hit> scored = new ArrayList<>();
        for (int r : rows) {
            scored.add(new BlockedTopK.Hit(r, dot(query, c.vectors().row(r))));
        }
        int tail = c.ids().size() - c.hnswRows();
        if (tail > 0) { // rows appended after the graph was built: scanned exactly
            BlockedTopK.Rows rest = new BlockedTopK.Rows() {
                @Override
                public int size() {
                    return tail;
                }

                @Override
                public int dim() {
                    return c.vectors().dim();
                }

                @Override
                public void copy(int from, int to, float[] dst) {
                    c.vectors().copy(c.hnswRows() + from, c.hnswRows() + to, dst);
                }
            };
            for (BlockedTopK.Hit h : BlockedTopK.search(new float[][] {query}, rest, k,
                    BlockedTopK.DEFAULT_BLOCK_ROWS).get(0)) {
                scored.add(new BlockedTopK.Hit(c.hnswRows() + h.row(), h.score()));
            }
        }
        scored.sort(Comparator.comparingDouble(BlockedTopK.Hit::score).reversed()
                .thenComparingInt(BlockedTopK.Hit::row));
        return ranked(c, scored.subList(0, Math.min(k, scored.size())));
    }

    private static List<Hit> ranked(Collection c, List<BlockedTopK.Hit> hits) {
        List<Hit> out = new ArrayList<>();
        for (BlockedTopK.Hit h : hits) {
            out.add(new Hit(out.size() + 1, c.ids().get(h.row()), h.row(), h.score()));
        }
        return out;
    }

    /** Same accumulation as {@link BlockedTopK}, so both paths give one score per row. */
    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** The vector of a row. */
    public float[] vector(String collection, int row) {
        return collections.get(collection).vectors().row(row);
    }

    /**
     * The image file of an indexed image id (relative ids resolve against the directory the index was built
     * from); empty for an id that is not in the index or whose file is gone. Only ids of the index are resolved,
     * so a request cannot name an arbitrary path.
     */
    public Optional<Path> imageFile(String id) {
        if (id == null || !imageRows.containsKey(id)) {
            return Optional.empty();
        }
        Path p = Path.of(id);
        if (!p.isAbsolute() && !manifest.base().isEmpty()) {
            p = Path.of(manifest.base()).resolve(p);
        }
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public void close() throws IOException {
        for (Collection c : collections.values()) {
            if (c.hnsw() != null) {
                c.hnsw().close();
            }
        }
    }
}
