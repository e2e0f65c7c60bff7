package org.blip4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Assigns integer image ids to annotation records. Stateful: {@link ImageIdMode#CONSECUTIVE} numbers distinct images in
 * first-seen order across every file read with the same instance.
 */
final class ImageIds {
    private static final Pattern TRAILING_NUMBER = Pattern.compile("(\\d+)$");

    private final ImageIdMode mode;
    private final Map<String, Long> consecutive = new HashMap<>();

    ImageIds(ImageIdMode mode) {
        this.mode = mode;
    }

    /**
     * @param idField the record's {@code image_id} node, or null when absent
     * @param image   the record's image path as written in the file
     */
    long assign(Path file, int record, JsonNode idField, String image) throws AnnotationFormatException {
        switch (mode) {
            case NONE:
                return Sample.NO_IMAGE_ID;
            case CONSECUTIVE:
                return consecutive.computeIfAbsent(identity(file, record, idField, image),
                        k -> (long) consecutive.size());
            case RAW:
                return raw(file, record, idField, image);
            default:
                throw new AssertionError(mode);
        }
    }

    private static String identity(Path file, int record, JsonNode idField, String image)
            throws AnnotationFormatException {
        if (idField != null && !idField.isNull()) {
            if (!idField.isValueNode()) {
                throw new AnnotationFormatException(file, record, "field \"image_id\" must be a string or number");
            }
            return "id:" + idField.asText();
        }
        String number = fileNameNumber(image);
        return number != null ? "id:" + Long.parseLong(number) : "path:" + image;
    }

    private static long raw(Path file, int record, JsonNode idField, String image) throws AnnotationFormatException {
        if (idField != null && !idField.isNull()) {
            if (idField.isIntegralNumber() && idField.canConvertToLong() && idField.asLong() >= 0) {
                return idField.asLong();
            }
            Matcher m = TRAILING_NUMBER.matcher(idField.isTextual() ? idField.asText() : "");
            if (m.find()) {
                return parse(file, record, m.group(1), "image_id");
            }
            throw new AnnotationFormatException(file, record,
                    "field \"image_id\" (" + idField + ") has no non-negative integer id");
        }
        String number = fileNameNumber(image);
        if (number == null) {
            throw new AnnotationFormatException(file, record, "no \"image_id\" field and no trailing number in the"
                    + " image file name \"" + image + "\"; use consecutive image ids instead");
        }
        return parse(file, record, number, "image");
    }

    /** Trailing digits of the file name without extension: {@code COCO_val2014_000000391895.jpg -> 391895}. */
    static String fileNameNumber(String image) {
        String name = image.substring(image.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        Matcher m = TRAILING_NUMBER.matcher(dot > 0 ? name.substring(0, dot) : name);
        return m.find() ? m.group(1) : null;
    }

    private static long parse(Path file, int record, String digits, String field) throws AnnotationFormatException {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new AnnotationFormatException(file, record, "field \"" + field + "\": id " + digits + " is too large");
        }
    }
}
