package org.blip4j.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.blip4j.util.AtomicFiles;

/**
 * Reads and writes the safetensors format (8-byte little-endian header length, JSON header, raw data) without
 * any native engine. Tensors are memory-mapped one by one, so files larger than 2 GiB work as long as each
 * tensor is smaller.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {
    }

    /**
     * All tensors of the file, in header order. Metadata (`__metadata__`) is skipped. The header is checked
     * (see {@link SafetensorsHeader}) before any tensor is mapped.
     */
    public static Map<String, RawTensor> read(Path file) throws IOException {
        Map<String, RawTensor> out = new LinkedHashMap<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new IOException(file + ": not a safetensors file (only " + size + " bytes)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLen = SafetensorsHeader.checkLength(lenBuf.getLong(0), size, file.toString());
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            readFully(ch, hb, 8);
            long dataStart = 8 + headerLen;
            for (SafetensorsHeader.Entry e : SafetensorsHeader.parse(hb.array(), size - dataStart, file.toString())) {
                if (e.end() - e.begin() > Integer.MAX_VALUE) {
                    throw new IOException(file + ": tensor '" + e.name() + "' is larger than 2 GiB, not supported");
                }
                ByteBuffer data = e.end() == e.begin() ? ByteBuffer.allocate(0)
                        : ch.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin(), e.end() - e.begin());
                try {
                    out.put(e.name(), new RawTensor(e.dtype(), e.shape(), data));
                } catch (IllegalArgumentException ex) {
                    throw new IOException(file + ": tensor '" + e.name() + "': " + ex.getMessage(), ex);
                }
            }
        }
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    /** Writes tensors (sorted by name, as the reference implementation does) atomically to {@code file}. */
    public static void write(Path file, Map<String, RawTensor> tensors, Map<String, String> metadata)
            throws IOException {
        AtomicFiles.write(file, out -> write(out, tensors, metadata));
    }

    public static void write(OutputStream out, Map<String, RawTensor> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode md = header.putObject("__metadata__");
            metadata.forEach(md::put);
        }
        TreeMap<String, RawTensor> sorted = new TreeMap<>(tensors);
        long offset = 0;
        for (Map.Entry<String, RawTensor> e : sorted.entrySet()) {
            RawTensor t = e.getValue();
            ObjectNode n = header.putObject(e.getKey());
            n.put("dtype", t.dtype().name());
            var shape = n.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long len = t.data().remaining();
            var offs = n.putArray("data_offsets");
            offs.add(offset);
            offs.add(offset + len);
            offset += len;
        }
        byte[] hbytes = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (hbytes.length + 7) / 8 * 8;
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, padded);
        out.write(lenBuf.array());
        out.write(hbytes);
        for (int i = hbytes.length; i < padded; i++) {
            out.write(' ');
        }
        byte[] chunk = new byte[1 << 16];
        for (RawTensor t : new ArrayList<>(sorted.values())) {
            ByteBuffer d = t.data().duplicate();
            while (d.hasRemaining()) {
                int n = Math.min(chunk.length, d.remaining());
                d.get(chunk, 0, n);
                out.write(chunk, 0, n);
            }
        }
    }

    /** Convenience for tests and tools: reads a file and returns it, failing with the path in the message. */
    public static Map<String, RawTensor> readOrThrow(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new IOException(file + ": no such file");
            }
            return read(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
