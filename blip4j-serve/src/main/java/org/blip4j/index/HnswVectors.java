package org.blip4j.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * Approximate nearest neighbours with Lucene's HNSW graph ({@link KnnFloatVectorField}, DOT_PRODUCT on unit
 * vectors) in {@code <collection>.hnsw/}: each document holds one vector and its row number. Search asks the graph
 * for {@code max(k, candidates)} neighbours and returns row numbers; the caller rescoring them exactly keeps the
 * scores identical to the exact path.
 */
final class HnswVectors implements AutoCloseable {
    static final String FIELD = "v";
    static final String ROW = "row";
    /** Graph degree and build beam: Lucene's defaults (16, 100). */
    static final int MAX_CONN = 16;
    static final int BEAM_WIDTH = 100;
    /** Neighbours the graph search collects before the top k are kept (Lucene's efSearch). */
    static final int DEFAULT_CANDIDATES = 100;

    private final Directory dir;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    private HnswVectors(Directory dir, DirectoryReader reader) {
        this.dir = dir;
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
    }

    static HnswVectors open(Path path) throws IOException {
        Directory d = FSDirectory.open(path);
        try {
            return new HnswVectors(d, DirectoryReader.open(d));
        } catch (IOException | RuntimeException e) {
            d.close();
            throw new IOException(path + ": cannot open the HNSW index: " + e.getMessage(), e);
        }
    }

    /** Adds rows [from, to) of {@code vectors} as documents (creating the graph directory if needed). */
    static void add(Path path, VectorFile vectors, int from, int to) throws IOException {
        IndexWriterConfig cfg = new IndexWriterConfig();
        cfg.setCodec(new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return new Lucene99HnswVectorsFormat(MAX_CONN, BEAM_WIDTH);
            }
        });
        cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
        cfg.setRAMBufferSizeMB(512); // one segment (one graph) per append of up to ~500k 256-d vectors
        try (Directory d = FSDirectory.open(path); IndexWriter w = new IndexWriter(d, cfg)) {
            int block = 4096;
            float[] buf = new float[block * vectors.dim()];
            for (int r = from; r < to; r += block) {
                int n = Math.min(block, to - r);
                vectors.copy(r, r + n, buf);
                for (int i = 0; i < n; i++) {
                    float[] v = new float[vectors.dim()];
                    System.arraycopy(buf, i * v.length, v, 0, v.length);
                    Document doc = new Document();
                    doc.add(new KnnFloatVectorField(FIELD, v, VectorSimilarityFunction.DOT_PRODUCT));
                    doc.add(new StoredField(ROW, r + i));
                    w.addDocument(doc);
                }
            }
            w.commit();
        }
    }

    /** Rows of the approximate nearest neighbours, graph order (best first), at most max(k, candidates). */
    List<Integer> search(float[] query, int k, int candidates) throws IOException {
        int n = Math.max(k, candidates);
        TopDocs td = searcher.search(new KnnFloatVectorQuery(FIELD, query, n), n);
        StoredFields stored = searcher.storedFields();
        List<Integer> rows = new ArrayList<>();
        for (ScoreDoc sd : td.scoreDocs) {
            rows.add(stored.document(sd.doc).getField(ROW).numericValue().intValue());
        }
        return rows;
    }

    int size() {
        return reader.numDocs();
    }

    @Override
    public void close() throws IOException {
        reader.close();
        dir.close();
    }
}
