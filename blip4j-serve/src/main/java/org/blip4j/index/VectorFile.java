package org.blip4j.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.eval.BlockedTopK;

/**
 * A float32 little-endian row matrix on disk ({@code <collection>.f32}), memory-mapped for reading in segments of
 * whole rows under 1 GiB each (a mapping is limited to 2 GiB), so an index larger than the heap is searched from
 * the page cache.
 */
final class VectorFile implements BlockedTopK.Rows {
    private static final long SEGMENT_BYTES = 1L << 30;

    private final int rows;
    private final int dim;
    private final int rowsPerSegment;
    private final List<FloatBuffer> segments = new ArrayList<>();

    private VectorFile(int rows, int dim, int rowsPerSegment) {
        this.rows = rows;
        this.dim = dim;
        this.rowsPerSegment = rowsPerSegment;
    }

    /** Maps the first {@code rows} rows; the file must hold at least that many. */
    static VectorFile map(Path file, int rows, int dim) throws IOException {
        long need = (long) rows * dim * Float.BYTES;
        long have = Files.isRegularFile(file) ? Files.size(file) : 0;
        if (have < need) {
            throw new IOException(file + ": holds " + have + " bytes, the manifest needs " + need + " (" + rows
                    + " rows of " + dim + " floats)");
        }
        int perSegment = (int) Math.max(1, SEGMENT_BYTES / ((long) dim * Float.BYTES));
        VectorFile v = new VectorFile(rows, dim, perSegment);
        if (rows == 0) {
            return v;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int from = 0; from < rows; from += perSegment) {
                int n = Math.min(perSegment, rows - from);
                ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, (long) from * dim * Float.BYTES,
                        (long) n * dim * Float.BYTES);
                v.segments.add(b.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
            }
        }
        return v;
    }

    /** Appends rows after the first {@code committed} rows (anything past them is cut off first) and syncs. */
    static void append(Path file, int committed, int dim, float[][] vectors) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long start = (long) committed * dim * Float.BYTES;
            if (ch.size() < start) {
                throw new IOException(file + ": shorter than its " + committed + " committed rows");
            }
            ch.truncate(start);
            ch.position(start);
            ByteBuffer b = ByteBuffer.allocate(Math.max(1, Math.min(vectors.length, 4096)) * dim * Float.BYTES)
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (float[] v : vectors) {
                if (v.length != dim) {
                    throw new IllegalArgumentException("vector of dimension " + v.length + " for an index of " + dim);
                }
                if (b.remaining() < dim * Float.BYTES) {
                    b.flip();
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                    b.clear();
                }
                for (float f : v) {
                    b.putFloat(f);
                }
            }
            b.flip();
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    @Override
    public int size() {
        return rows;
    }

    @Override
    public int dim() {
        return dim;
    }

    @Override
    public void copy(int from, int to, float[] dst) {
        int at = 0;
        for (int r = from; r < to; ) {
            int seg = r / rowsPerSegment;
            int inSeg = r - seg * rowsPerSegment;
            int n = Math.min(to - r, rowsPerSegment - inSeg);
            segments.get(seg).get(inSeg * dim, dst, at, n * dim);
            at += n * dim;
            r += n;
        }
    }

    float[] row(int r) {
        float[] out = new float[dim];
        copy(r, r + 1, out);
        return out;
    }
}
