package org.blip4j.serve;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.blip4j.image.ImageDecodeException;
import org.blip4j.image.RgbImage;

/**
 * The fields of one request (multipart or url-encoded form, or the query string), read with validation: every
 * problem is an {@link ApiException} 400 naming the field (413 for an oversized upload).
 */
final class Form {
    /** A decoded upload and the name it was sent with (the key its sampling seed derives from). */
    record Image(RgbImage image, String name) {
    }

    private final Context ctx;
    private final long maxUploadBytes;

    Form(Context ctx, long maxUploadBytes) {
        this.ctx = ctx;
        this.maxUploadBytes = maxUploadBytes;
    }

    boolean has(String field) {
        return upload(field) != null || value(field) != null;
    }

    /** The uploaded image {@code field}, decoded under the pixel limit, its bytes accounted to the ticket. */
    Image image(String field, ImageDecoding decoder, Admission.Ticket ticket) {
        UploadedFile f = upload(field);
        if (f == null) {
            throw ApiException.badField(field, value(field) != null
                    ? "must be a file upload (multipart/form-data), not a text value" : "missing (upload an image)");
        }
        if (f.size() > maxUploadBytes) {
            throw tooLarge(field);
        }
        byte[] bytes;
        try (InputStream in = f.content()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxUploadBytes + 1));
        } catch (IOException e) {
            throw ApiException.badField(field, "could not read the upload: " + e.getMessage());
        }
        if (bytes.length > maxUploadBytes) {
            throw tooLarge(field);
        }
        String name = f.filename() == null || f.filename().isBlank() ? field : f.filename();
        try {
            RgbImage img = decoder.decode(bytes, name);
            ticket.holdImageBytes((long) img.width() * img.height() * 3);
            return new Image(img, name);
        } catch (ImageDecodeException e) {
            throw ApiException.badField(field, e.getMessage());
        }
    }

    private ApiException tooLarge(String field) {
        return new ApiException(413, "field '" + field + "': upload larger than the limit of " + maxUploadBytes
                + " bytes (--max-upload-mb)");
    }

    String string(String field, String dflt) {
        String v = value(field);
        return v == null ? dflt : v;
    }

    String requiredString(String field) {
        String v = value(field);
        if (v == null || v.isBlank()) {
            throw ApiException.badField(field, "missing");
        }
        return v;
    }

    /** Every value of a repeated field, non-blank. */
    List<String> strings(String field) {
        List<String> out = new ArrayList<>();
        List<String> vs = ctx.formParams(field);
        if (vs.isEmpty()) {
            vs = ctx.queryParams(field);
        }
        for (String v : vs) {
            if (v != null && !v.isBlank()) {
                out.add(v);
            }
        }
        return out;
    }

    int integer(String field, int dflt, int min, int max) {
        String v = value(field);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) {
                throw ApiException.badField(field, "must be in " + min + ".." + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiException.badField(field, "not an integer: '" + clip(v) + "'");
        }
    }

    long longValue(String field, long dflt) {
        String v = value(field);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badField(field, "not an integer: '" + clip(v) + "'");
        }
    }

    double number(String field, double dflt, double min, double max) {
        String v = value(field);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        double d;
        try {
            d = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badField(field, "not a number: '" + clip(v) + "'");
        }
        if (!(d >= min && d <= max)) {
            throw ApiException.badField(field, "must be in [" + min + ", " + max + "], got " + v.trim());
        }
        return d;
    }

    Double optionalNumber(String field, double min, double max) {
        return value(field) == null || value(field).isBlank() ? null : number(field, 0, min, max);
    }

    boolean bool(String field) {
        String v = value(field);
        if (v == null) {
            return false;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "", "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> throw ApiException.badField(field, "not a boolean: '" + clip(v) + "' (use true or false)");
        };
    }

    private String value(String field) {
        String v = ctx.formParam(field);
        return v != null ? v : ctx.queryParam(field);
    }

    private UploadedFile upload(String field) {
        return ctx.isMultipartFormData() ? ctx.uploadedFile(field) : null;
    }

    static String clip(String v) {
        return v.length() > 40 ? v.substring(0, 40) + "…" : v;
    }
}
