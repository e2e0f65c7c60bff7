package org.blip4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.blip4j.util.JsonLimits;

/** Reading helpers whose errors name the file and the JSON field at fault. */
final class JsonFields {
    static final ObjectMapper MAPPER = JsonLimits.dataMapper();

    private JsonFields() {
    }

    static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JSON " + file + ": " + e.getMessage(), e);
        }
    }

    static JsonNode array(JsonNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isArray()) {
            throw new IllegalArgumentException(where + ": field \"" + field + "\" must be an array");
        }
        return node;
    }

    /** An integral id, given as a JSON number or a numeric string (COCO uses numbers; some tools write strings). */
    static long id(JsonNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node != null && node.isIntegralNumber() && node.canConvertToLong()) {
            return node.asLong();
        }
        if (node != null && node.isTextual()) {
            try {
                return Long.parseLong(node.asText().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(where + ": field \"" + field + "\" must be an integer id, got "
                + (node == null ? "nothing" : node.toString()));
    }

    static String text(JsonNode parent, String field, String where) {
        JsonNode node = parent.get(field);
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException(where + ": field \"" + field + "\" must be a string, got "
                    + (node == null ? "nothing" : node.toString()));
        }
        return node.asText();
    }
}
