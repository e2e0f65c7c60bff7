package org.blip4j.capfilt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.util.JsonLimits;

/**
 * Ground truth of the web texts for the filter's precision/recall report: {@code {"<web index>": "<label>"}}.
 * {@value #CLEAN} marks a correct text; any other label names a kind of noise, and the report gives the fraction
 * removed per label. Held as one byte per index (100M texts = 100 MB, at most 127 labels), parsed by streaming.
 */
public final class NoiseLabels {
    /** The label of a correct text; every other label counts as noise. */
    public static final String CLEAN = "clean";
    private static final int MAX_LABELS = Byte.MAX_VALUE;
    private static final byte NONE = -1;
    private byte[] ids = new byte[1024];
    private int size;
    private final List<String> names = new ArrayList<>();
    private final Map<String, Byte> idOf = new HashMap<>();

    private NoiseLabels() {
        Arrays.fill(ids, NONE);
    }

    public static NoiseLabels read(Path file) throws IOException {
        NoiseLabels labels = new NoiseLabels();
        try (JsonParser p = JsonLimits.dataMapper().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file + ": expected an object {\"<index>\": \"<label>\"}");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t == null) {
                    throw new IOException(file + ": file ends inside the object");
                }
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if (value != JsonToken.VALUE_STRING || p.getText().isBlank()) {
                    throw new IOException(file + ": \"" + key + "\": the label must be a non-empty string");
                }
                labels.put(file, key, p.getText());
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + ": invalid JSON: " + e.getOriginalMessage(), e);
        }
        return labels;
    }

    private void put(Path file, String key, String label) throws IOException {
        int index;
        try {
            index = Integer.parseInt(key);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": key \"" + key + "\" is not a web record index");
        }
        if (index < 0) {
            throw new IOException(file + ": negative index " + key);
        }
        Byte id = idOf.get(label);
        if (id == null) {
            if (names.size() == MAX_LABELS) {
                throw new IOException(file + ": \"" + key + "\": more than " + MAX_LABELS + " distinct labels");
            }
            id = (byte) names.size();
            names.add(label);
            idOf.put(label, id);
        }
        if (index >= ids.length) {
            int old = ids.length;
            ids = Arrays.copyOf(ids, Math.max(index + 1, old * 2));
            Arrays.fill(ids, old, ids.length, NONE);
        }
        ids[index] = id;
        size = Math.max(size, index + 1);
    }

    /** The distinct labels: {@value #CLEAN} first when present, then the others in the file's order. */
    public List<String> names() {
        List<String> ordered = new ArrayList<>(names.size());
        if (names.contains(CLEAN)) {
            ordered.add(CLEAN);
        }
        names.stream().filter(n -> !n.equals(CLEAN)).forEach(ordered::add);
        return ordered;
    }

    /** The label of a web record, or null when the file has none. */
    public String of(int sourceIndex) {
        if (sourceIndex < 0 || sourceIndex >= size || ids[sourceIndex] == NONE) {
            return null;
        }
        return names.get(ids[sourceIndex]);
    }
}
