package org.blip4j.eval;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** VQA results as BLIP writes them: {@code [{"question_id", "answer"}]}. */
public final class VqaPredictions {
    private final Map<Long, String> answers;
    private final String source;

    private VqaPredictions(Map<Long, String> answers, String source) {
        this.answers = answers;
        this.source = source;
    }

    public static VqaPredictions of(Map<Long, String> answers, String source) {
        return new VqaPredictions(Collections.unmodifiableMap(new LinkedHashMap<>(answers)), source);
    }

    public static VqaPredictions read(Path file) {
        return fromJson(JsonFields.read(file), file.toString());
    }

    /** A second answer for the same question is an error rather than the official loader's silent "last wins". */
    public static VqaPredictions fromJson(JsonNode root, String source) {
        if (!root.isArray()) {
            throw new IllegalArgumentException(source + ": expected a JSON array of {\"question_id\", \"answer\"}");
        }
        Map<Long, String> answers = new LinkedHashMap<>();
        for (int i = 0; i < root.size(); i++) {
            String where = source + " [" + i + "]";
            long id = JsonFields.id(root.get(i), "question_id", where);
            if (answers.putIfAbsent(id, JsonFields.text(root.get(i), "answer", where)) != null) {
                throw new IllegalArgumentException(where + ": second answer for question_id " + id);
            }
        }
        return of(answers, source);
    }

    public Map<Long, String> answers() {
        return answers;
    }

    public String source() {
        return source;
    }
}
