package org.blip4j.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.blip4j.util.JsonLimits;

/** Reads JSON config files, turning parse errors and wrongly typed fields into errors that name file and field. */
final class JsonFiles {
    private static final ObjectMapper JSON = JsonLimits.configMapper();

    private JsonFiles() {
    }

    static JsonNode read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw new TokenizerConfigException(file, "expected a JSON object");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TokenizerConfigException(file, "invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The object, or null if the file does not exist. */
    static JsonNode readIfExists(Path file) throws IOException {
        return Files.isRegularFile(file) ? read(file) : null;
    }

    /** A boolean field; {@code fallback} when absent or JSON null. */
    static boolean bool(JsonNode obj, String field, boolean fallback, Path file) {
        Boolean b = optionalBool(obj, field, file);
        return b == null ? fallback : b;
    }

    /** A boolean field, or null when absent or JSON null. */
    static Boolean optionalBool(JsonNode obj, String field, Path file) {
        JsonNode v = obj == null ? null : obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw new TokenizerConfigException(file, "field '" + field + "' must be true/false, got " + v);
        }
        return v.booleanValue();
    }

    /** An integer field, or null when absent or JSON null. */
    static Integer optionalInt(JsonNode obj, String field, Path file, String fieldPath) {
        JsonNode v = obj == null ? null : obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw new TokenizerConfigException(file, "field '" + fieldPath + "' must be an integer, got " + v);
        }
        return v.intValue();
    }

    /** A string field, or null when absent or JSON null. */
    static String optionalString(JsonNode obj, String field, Path file) {
        JsonNode v = obj == null ? null : obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new TokenizerConfigException(file, "field '" + field + "' must be a string, got " + v);
        }
        return v.textValue();
    }
}
