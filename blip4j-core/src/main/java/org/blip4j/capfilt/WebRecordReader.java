package org.blip4j.capfilt;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.data.AnnotationFormatException;
import org.blip4j.util.JsonLimits;

/**
 * Streams a BLIP JSON array ({@code [{"image", "caption": str | [str]}, ...]}) record by record, so an input of
 * any size costs the memory of one chunk. {@code AnnotationReader} would build the whole list; CapFilt must not.
 */
final class WebRecordReader implements Closeable {
    private static final ObjectMapper JSON = JsonLimits.dataMapper();

    private final Path file;
    private final Path imageRoot;
    private final JsonParser parser;
    private int next;
    private boolean ended;

    private WebRecordReader(Path file, Path imageRoot, JsonParser parser) {
        this.file = file;
        this.imageRoot = imageRoot;
        this.parser = parser;
    }

    public static WebRecordReader open(Path file, Path imageRoot) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new AnnotationFormatException(file, -1, "annotation file not found");
        }
        JsonParser p = JSON.createParser(file.toFile());
        try {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new AnnotationFormatException(file, -1, "expected a JSON array of {\"image\", \"caption\"} records");
            }
        } catch (IOException e) {
            p.close();
            throw e instanceof AnnotationFormatException a ? a
                    : new AnnotationFormatException(file, -1, "invalid JSON: " + e.getMessage(), e);
        }
        return new WebRecordReader(file, imageRoot, p);
    }

    /** Number of records in a file (one streaming pass; for progress and ETA). */
    public static int count(Path file) throws IOException {
        try (WebRecordReader r = open(file, Path.of("."))) {
            int n = 0;
            while (r.skipOne()) {
                n++;
            }
            return n;
        }
    }

    /** The next record, or null at the end of the array. */
    public WebRecord next() throws IOException {
        JsonNode node = nextNode();
        if (node == null) {
            return null;
        }
        int index = next++;
        String image = text(node, index);
        return new WebRecord(index, image, imageRoot.resolve(image), captions(node.get("caption"), index));
    }

    /** Up to {@code n} records; empty at the end. */
    public List<WebRecord> next(int n) throws IOException {
        List<WebRecord> out = new ArrayList<>(Math.min(n, 4096));
        for (WebRecord r; out.size() < n && (r = next()) != null; ) {
            out.add(r);
        }
        return out;
    }

    /** Skips {@code n} records without validating them (a completed part on resume); false if the file ended. */
    public boolean skip(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            if (!skipOne()) {
                return false;
            }
        }
        return true;
    }

    private boolean skipOne() throws IOException {
        if (advance() == null) {
            return false;
        }
        parser.skipChildren();
        next++;
        return true;
    }

    private JsonNode nextNode() throws IOException {
        if (advance() == null) {
            return null;
        }
        try {
            return JSON.readTree(parser);
        } catch (JsonProcessingException e) {
            throw invalid(e);
        }
    }

    /** Moves to the next record's START_OBJECT; null at the end of the array. */
    private JsonToken advance() throws IOException {
        if (ended) {
            return null;
        }
        JsonToken t;
        try {
            t = parser.nextToken();
        } catch (JsonProcessingException e) {
            throw invalid(e);
        }
        if (t == JsonToken.END_ARRAY) {
            ended = true;
            return null;
        }
        if (t == null) {
            throw new AnnotationFormatException(file, next, "file ends inside the array");
        }
        if (t != JsonToken.START_OBJECT) {
            throw new AnnotationFormatException(file, next, "expected an object, found " + t);
        }
        return t;
    }

    private AnnotationFormatException invalid(JsonProcessingException e) {
        // limit violations (JsonLimits) carry no location
        return new AnnotationFormatException(file, next, "invalid JSON: " + e.getOriginalMessage()
                + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                + e.getLocation().getColumnNr()), e);
    }

    private String text(JsonNode node, int index) throws AnnotationFormatException {
        JsonNode v = node.get("image");
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new AnnotationFormatException(file, index, "field \"image\" must be a non-empty string");
        }
        return v.asText();
    }

    private List<String> captions(JsonNode v, int index) throws AnnotationFormatException {
        if (v != null && v.isTextual()) {
            return List.of(v.asText());
        }
        if (v != null && v.isArray() && !v.isEmpty()) {
            List<String> out = new ArrayList<>(v.size());
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isTextual()) {
                    throw new AnnotationFormatException(file, index,
                            "field \"caption\"[" + i + "] must be a string, found " + v.get(i).getNodeType());
                }
                out.add(v.get(i).asText());
            }
            return out;
        }
        throw new AnnotationFormatException(file, index,
                "field \"caption\" must be a string or a non-empty list of strings");
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
