package org.blip4j.capfilt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.blip4j.synth.NoiseKind;
import org.blip4j.util.JsonLimits;

/**
 * Ground truth of the web texts, {@code {"<web index>": "clean"|"mismatched"|"attribute"|"junk"}} as the synthetic
 * world writes {@code web_noise.json}. Held as one byte per index (100M texts = 100 MB), parsed by streaming.
 */
public final class NoiseLabels {
    private static final byte NONE = -1;
    private byte[] kinds = new byte[1024];
    private int size;

    private NoiseLabels() {
        Arrays.fill(kinds, NONE);
    }

    public static NoiseLabels read(Path file) throws IOException {
        NoiseLabels labels = new NoiseLabels();
        try (JsonParser p = JsonLimits.dataMapper().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(file + ": expected an object {\"<index>\": \"clean|mismatched|attribute|junk\"}");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t == null) {
                    throw new IOException(file + ": file ends inside the object");
                }
                String key = p.currentName();
                p.nextToken();
                labels.put(file, key, p.getValueAsString());
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
        NoiseKind kind;
        try {
            kind = NoiseKind.valueOf(String.valueOf(label).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": \"" + key + "\": unknown label \"" + label
                    + "\" (expected clean, mismatched, attribute or junk)");
        }
        if (index < 0) {
            throw new IOException(file + ": negative index " + key);
        }
        if (index >= kinds.length) {
            int old = kinds.length;
            kinds = Arrays.copyOf(kinds, Math.max(index + 1, old * 2));
            Arrays.fill(kinds, old, kinds.length, NONE);
        }
        kinds[index] = (byte) kind.ordinal();
        size = Math.max(size, index + 1);
    }

    /** The label of a web record, or null when the file has none. */
    public NoiseKind of(int sourceIndex) {
        if (sourceIndex < 0 || sourceIndex >= size || kinds[sourceIndex] == NONE) {
            return null;
        }
        return NoiseKind.values()[kinds[sourceIndex]];
    }
}
