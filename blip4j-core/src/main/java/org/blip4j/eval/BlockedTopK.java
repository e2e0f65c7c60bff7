package org.blip4j.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Exact top-k by inner product over a row matrix read a block at a time: each block of rows is multiplied with
 * every query (a small matrix product) and folded into one bounded heap per query, so memory is
 * O(queries * k + blockRows * dim) however many rows there are (an index on disk, or a retrieval evaluation's
 * candidates). Dot products accumulate in double; equal scores rank the lower row first.
 */
public final class BlockedTopK {
    /** A row matrix that can copy a block of its rows (row-major) into a buffer. */
    public interface Rows {
        int size();

        int dim();

        /** Copies rows [from, to) into {@code dst} row-major, starting at 0. */
        void copy(int from, int to, float[] dst);
    }

    /** A result: row index and its inner product with the query. */
    public record Hit(int row, double score) {
    }

    public static final int DEFAULT_BLOCK_ROWS = 4096;

    private BlockedTopK() {
    }

    /** Rows of an in-memory matrix. */
    public static Rows of(float[][] rows) {
        int dim = rows.length == 0 ? 0 : rows[0].length;
        return new Rows() {
            @Override
            public int size() {
                return rows.length;
            }

            @Override
            public int dim() {
                return dim;
            }

            @Override
            public void copy(int from, int to, float[] dst) {
                for (int r = from; r < to; r++) {
                    System.arraycopy(rows[r], 0, dst, (r - from) * dim, dim);
                }
            }
        };
    }

    /** The k best rows for each query, best first. */
    public static List<List<Hit>> search(float[][] queries, Rows rows, int k, int blockRows) {
        if (k < 1 || blockRows < 1) {
            throw new IllegalArgumentException("k and blockRows must be ≥ 1, got " + k + ", " + blockRows);
        }
        int dim = rows.dim();
        for (float[] q : queries) {
            if (q.length != dim) {
                throw new IllegalArgumentException("query has dimension " + q.length + ", rows have " + dim);
            }
        }
        int n = rows.size();
        int keep = Math.min(k, n);
        Heap[] heaps = new Heap[queries.length];
        for (int i = 0; i < heaps.length; i++) {
            heaps[i] = new Heap(keep);
        }
        float[] block = new float[Math.min(blockRows, Math.max(1, n)) * dim];
        for (int from = 0; from < n; from += blockRows) {
            int to = Math.min(n, from + blockRows);
            rows.copy(from, to, block);
            for (int qi = 0; qi < queries.length; qi++) {
                float[] q = queries[qi];
                Heap h = heaps[qi];
                for (int r = 0; r < to - from; r++) {
                    double s = 0;
                    int off = r * dim;
                    for (int d = 0; d < dim; d++) {
                        s += (double) q[d] * block[off + d];
                    }
                    h.offer(from + r, s);
                }
            }
        }
        List<List<Hit>> out = new ArrayList<>();
        for (Heap h : heaps) {
            out.add(h.sorted());
        }
        return out;
    }

    /**
     * Top-k per query fed score by score, for callers that compute the blocks themselves (e.g. on the engine, as
     * retrieval evaluation does): the same heaps and tie rule as {@link #search}.
     */
    public static final class Collector {
        private final Heap[] heaps;

        public Collector(int queries, int k) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be ≥ 1, got " + k);
            }
            heaps = new Heap[queries];
            for (int i = 0; i < queries; i++) {
                heaps[i] = new Heap(k);
            }
        }

        public void offer(int query, int row, double score) {
            heaps[query].offer(row, score);
        }

        /** Rows of each query's top k, best first. */
        public int[][] rows() {
            int[][] out = new int[heaps.length][];
            for (int q = 0; q < heaps.length; q++) {
                out[q] = heaps[q].sorted().stream().mapToInt(Hit::row).toArray();
            }
            return out;
        }

        /** Scores matching {@link #rows()}. */
        public double[][] scores() {
            double[][] out = new double[heaps.length][];
            for (int q = 0; q < heaps.length; q++) {
                out[q] = heaps[q].sorted().stream().mapToDouble(Hit::score).toArray();
            }
            return out;
        }
    }

    /** A bounded min-heap of (score, row): the root is the worst kept hit. */
    static final class Heap {
        private final int capacity;
        private final int[] rows;
        private final double[] scores;
        private int size;

        Heap(int capacity) {
            this.capacity = capacity;
            this.rows = new int[capacity];
            this.scores = new double[capacity];
        }

        /** a ranks below b: lower score, or equal score and higher row. */
        private boolean worse(double sa, int ra, double sb, int rb) {
            return sa < sb || (sa == sb && ra > rb);
        }

        void offer(int row, double score) {
            if (capacity == 0) {
                return;
            }
            if (size < capacity) {
                rows[size] = row;
                scores[size] = score;
                up(size++);
            } else if (worse(scores[0], rows[0], score, row)) {
                rows[0] = row;
                scores[0] = score;
                down(0);
            }
        }

        private void up(int i) {
            while (i > 0) {
                int p = (i - 1) / 2;
                if (!worse(scores[i], rows[i], scores[p], rows[p])) {
                    return;
                }
                swap(i, p);
                i = p;
            }
        }

        private void down(int i) {
            while (true) {
                int l = 2 * i + 1;
                int r = l + 1;
                int m = i;
                if (l < size && worse(scores[l], rows[l], scores[m], rows[m])) {
                    m = l;
                }
                if (r < size && worse(scores[r], rows[r], scores[m], rows[m])) {
                    m = r;
                }
                if (m == i) {
                    return;
                }
                swap(i, m);
                i = m;
            }
        }

        private void swap(int a, int b) {
            int tr = rows[a];
            rows[a] = rows[b];
            rows[b] = tr;
            double ts = scores[a];
            scores[a] = scores[b];
            scores[b] = ts;
        }

        List<Hit> sorted() {
            Hit[] hits = new Hit[size];
            for (int i = 0; i < size; i++) {
                hits[i] = new Hit(rows[i], scores[i]);
            }
            Arrays.sort(hits, (a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score())
                    : Integer.compare(a.row(), b.row()));
            return List.of(hits);
        }
    }
}
