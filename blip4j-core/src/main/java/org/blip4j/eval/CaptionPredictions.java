package org.blip4j.eval;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Generated captions per image id, as BLIP writes them: {@code [{"image_id", "caption"}]}. */
public final class CaptionPredictions {
    private final Map<Long, String> captions;
    private final String source;

    private CaptionPredictions(Map<Long, String> captions, String source) {
        this.captions = captions;
        this.source = source;
    }

    public static CaptionPredictions of(Map<Long, String> captions, String source) {
        return new CaptionPredictions(Collections.unmodifiableMap(new LinkedHashMap<>(captions)), source);
    }

    /** Reads a result list; two captions for one image are an error (the COCO toolkit would assert on them). */
    public static CaptionPredictions read(Path file) {
        JsonNode root = JsonFields.read(file);
        if (!root.isArray()) {
            throw new IllegalArgumentException(file + ": expected a JSON array of {\"image_id\", \"caption\"}");
        }
        Map<Long, String> captions = new LinkedHashMap<>();
        for (int i = 0; i < root.size(); i++) {
            String where = file + " [" + i + "]";
            long id = JsonFields.id(root.get(i), "image_id", where);
            String caption = JsonFields.text(root.get(i), "caption", where);
            if (captions.putIfAbsent(id, caption) != null) {
                throw new IllegalArgumentException(where + ": second caption for image_id " + id);
            }
        }
        return of(captions, file.toString());
    }

    public Map<Long, String> captions() {
        return captions;
    }

    public String source() {
        return source;
    }
}
