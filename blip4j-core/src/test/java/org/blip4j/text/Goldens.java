package org.blip4j.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.checkpoint.Safetensors;

/** Reads golden.json / golden.safetensors of a parity fixture set. */
final class Goldens {
    private Goldens() {
    }

    static JsonNode json(Path set) throws IOException {
        return new ObjectMapper().readTree(set.resolve("golden.json").toFile());
    }

    static Map<String, RawTensor> tensors(Path set) throws IOException {
        return Safetensors.read(set.resolve("golden.safetensors"));
    }

    /** A 2-D I64 tensor as rows. */
    static long[][] rows(RawTensor t) {
        if (t.shape().length != 2) {
            throw new IllegalArgumentException("expected 2-D, got " + t.shapeString());
        }
        int n = (int) t.shape()[0];
        int len = (int) t.shape()[1];
        long[] flat = t.toLongs();
        long[][] out = new long[n][len];
        for (int i = 0; i < n; i++) {
            System.arraycopy(flat, i * len, out[i], 0, len);
        }
        return out;
    }

    static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    /** The "text" field of every object in the array. */
    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get("text").asText()));
        return out;
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
