package org.blip4j.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.blip4j.util.JsonLimits;

/**
 * The JSON header of a safetensors file, checked as the reference implementation does ({@code safetensors}
 * {@code SafeTensors::read_metadata} / {@code Metadata::validate}) before any tensor is touched: every entry has a
 * known dtype, a shape of non-negative integers and {@code data_offsets} [begin, end] with end - begin equal to
 * dtype size × number of elements; the ranges lie inside the data area and do not overlap. A header is at most
 * {@link #MAX_HEADER_BYTES} and no larger than the file, so a length field of 2^40 costs nothing.
 */
final class SafetensorsHeader {
    /** Same cap as the reference implementation (100 MB). */
    static final long MAX_HEADER_BYTES = 100L << 20;

    /** One tensor's place in the data area (offsets relative to its start). */
    record Entry(String name, DType dtype, long[] shape, long begin, long end) {
    }

    private SafetensorsHeader() {
    }

    /** Checks the 8-byte length field against the file size; returns it. */
    static long checkLength(long headerLen, long fileSize, String source) throws IOException {
        if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || headerLen > fileSize - 8) {
            throw new IOException(source + ": not a safetensors file (header length " + headerLen + ": must be"
                    + " positive, at most " + MAX_HEADER_BYTES + " bytes and within the file's " + fileSize
                    + " bytes)");
        }
        return headerLen;
    }

    /** Parses and checks a header; {@code dataSize} is the number of bytes after it. Entries in file order. */
    static List<Entry> parse(byte[] json, long dataSize, String source) throws IOException {
        JsonNode header;
        try {
            header = JsonLimits.configMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IOException(source + ": corrupt safetensors header: " + e.getOriginalMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new IOException(source + ": corrupt safetensors header: not a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            entries.add(entry(e.getKey(), e.getValue(), dataSize, source));
        }
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        for (int i = 1; i < byOffset.size(); i++) {
            Entry prev = byOffset.get(i - 1);
            Entry cur = byOffset.get(i);
            if (cur.begin() < prev.end()) {
                throw new IOException(source + ": tensors '" + prev.name() + "' and '" + cur.name()
                        + "' overlap in the data area");
            }
        }
        return entries;
    }

    private static Entry entry(String name, JsonNode t, long dataSize, String source) throws IOException {
        String where = source + ": tensor '" + name + "'";
        if (!t.isObject()) {
            throw new IOException(where + ": header entry is not an object");
        }
        JsonNode dtypeNode = t.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new IOException(where + ": no dtype string");
        }
        DType dtype;
        try {
            dtype = DType.fromSafetensors(dtypeNode.textValue());
        } catch (IllegalArgumentException ex) {
            throw new IOException(where + ": " + ex.getMessage(), ex);
        }
        JsonNode shapeNode = t.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new IOException(where + ": no shape array");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
                throw new IOException(where + ": shape " + shapeNode + " is not a list of non-negative integers");
            }
            shape[i] = d.longValue();
        }
        JsonNode offsets = t.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2 || !offsets.get(0).canConvertToLong()
                || !offsets.get(1).canConvertToLong() || !offsets.get(0).isIntegralNumber()
                || !offsets.get(1).isIntegralNumber()) {
            throw new IOException(where + ": data_offsets must be [begin, end] integers, got " + offsets);
        }
        long begin = offsets.get(0).longValue();
        long end = offsets.get(1).longValue();
        if (begin < 0 || end < begin || end > dataSize) {
            throw new IOException(where + ": data_offsets [" + begin + ", " + end + "] lie outside the data area of "
                    + dataSize + " bytes");
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(RawTensor.numel(shape), dtype.bytes());
        } catch (ArithmeticException | IllegalArgumentException ex) {
            throw new IOException(where + ": shape " + shapeNode + " is too large", ex);
        }
        if (end - begin != bytes) {
            throw new IOException(where + ": data_offsets [" + begin + ", " + end + "] hold " + (end - begin)
                    + " bytes, but dtype " + dtype + " × shape " + shapeNode + " needs " + bytes);
        }
        return new Entry(name, dtype, shape, begin, end);
    }
}
