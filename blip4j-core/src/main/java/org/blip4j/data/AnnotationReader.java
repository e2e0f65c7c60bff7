package org.blip4j.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.blip4j.util.JsonLimits;

/**
 * Reads BLIP-style annotation JSON: an array of {@code {"image": path, "caption": str | [str], ...}} records,
 * image paths resolved against an image root. {@link #karpathy(Path)} is the COCO/Flickr Karpathy-split preset
 * (adds {@code image_id} handling).
 *
 * <p>The array is parsed record by record (streaming), so a multi-million-record file never exists as one JSON
 * tree. Extra fields ({@code url}, {@code dataset}, ...) are ignored. Immutable except for the image-id table:
 * reading several files with one {@link #read(List)} call numbers images consecutively across all of them,
 * matching BLIP's concatenated annotation lists.
 */
public final class AnnotationReader {
    private static final ObjectMapper JSON = JsonLimits.dataMapper();

    private final Path imageRoot;
    private final CaptionMode captionMode;
    private final ImageIdMode imageIdMode;

    private AnnotationReader(Path imageRoot, CaptionMode captionMode, ImageIdMode imageIdMode) {
        this.imageRoot = Objects.requireNonNull(imageRoot, "imageRoot");
        this.captionMode = Objects.requireNonNull(captionMode, "captionMode");
        this.imageIdMode = Objects.requireNonNull(imageIdMode, "imageIdMode");
    }

    /** BLIP pre-training JSON: list captions expanded, no image ids. */
    public static AnnotationReader blip(Path imageRoot) {
        return new AnnotationReader(imageRoot, CaptionMode.EXPAND, ImageIdMode.NONE);
    }

    /** COCO/Flickr Karpathy JSON: list captions expanded, consecutive image ids as in {@code coco_karpathy_train}. */
    public static AnnotationReader karpathy(Path imageRoot) {
        return new AnnotationReader(imageRoot, CaptionMode.EXPAND, ImageIdMode.CONSECUTIVE);
    }

    public AnnotationReader captions(CaptionMode mode) {
        return new AnnotationReader(imageRoot, mode, imageIdMode);
    }

    public AnnotationReader imageIds(ImageIdMode mode) {
        return new AnnotationReader(imageRoot, captionMode, mode);
    }

    public List<Sample> read(Path annotationFile) throws IOException {
        return read(List.of(annotationFile));
    }

    /** Reads the files in order into one list; image ids are shared across them. */
    public List<Sample> read(List<Path> annotationFiles) throws IOException {
        ImageIds ids = new ImageIds(imageIdMode);
        List<Sample> out = new ArrayList<>();
        for (Path file : annotationFiles) {
            readFile(file, ids, out);
        }
        return out;
    }

    private void readFile(Path file, ImageIds ids, List<Sample> out) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new AnnotationFormatException(file, -1, "annotation file not found");
        }
        String label = file.getFileName().toString();
        int record = 0;
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new AnnotationFormatException(file, -1, "expected a JSON array of records");
            }
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) {
                    throw new AnnotationFormatException(file, record, "file ends inside the array");
                }
                if (t != JsonToken.START_OBJECT) {
                    throw new AnnotationFormatException(file, record, "expected an object, found " + t);
                }
                addRecord(file, label, record, JSON.readTree(p), ids, out);
                record++; // before nextToken, so a syntax error after a record names the next one
            }
        } catch (JsonProcessingException e) {
            // limit violations (JsonLimits) carry no location
            throw new AnnotationFormatException(file, record, "invalid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()), e);
        }
    }

    private void addRecord(Path file, String label, int record, JsonNode node, ImageIds ids, List<Sample> out)
            throws AnnotationFormatException {
        String image = requireText(file, record, node, "image");
        List<String> captions = captions(file, record, node.get("caption"));
        long imageId = ids.assign(file, record, node.get("image_id"), image);
        ImageSource source = new ImageSource.File(imageRoot.resolve(image));
        String key = label + "#" + record;
        if (captionMode == CaptionMode.EXPAND && node.get("caption").isArray()) {
            for (int c = 0; c < captions.size(); c++) {
                out.add(new Sample(key + "." + c, source, List.of(captions.get(c)), imageId, record));
            }
        } else {
            out.add(new Sample(key, source, captions, imageId, record));
        }
    }

    private static String requireText(Path file, int record, JsonNode node, String field)
            throws AnnotationFormatException {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new AnnotationFormatException(file, record, "missing field \"" + field + "\"");
        }
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw new AnnotationFormatException(file, record, "field \"" + field + "\" must be a non-empty string");
        }
        return v.asText();
    }

    private static List<String> captions(Path file, int record, JsonNode v) throws AnnotationFormatException {
        if (v == null || v.isNull()) {
            throw new AnnotationFormatException(file, record, "missing field \"caption\"");
        }
        if (v.isTextual()) {
            return List.of(v.asText());
        }
        if (v.isArray() && !v.isEmpty()) {
            List<String> out = new ArrayList<>(v.size());
            for (int i = 0; i < v.size(); i++) {
                if (!v.get(i).isTextual()) {
                    throw new AnnotationFormatException(file, record,
                            "field \"caption\"[" + i + "] must be a string, found " + v.get(i).getNodeType());
                }
                out.add(v.get(i).asText());
            }
            return out;
        }
        throw new AnnotationFormatException(file, record,
                "field \"caption\" must be a string or a non-empty list of strings");
    }
}
