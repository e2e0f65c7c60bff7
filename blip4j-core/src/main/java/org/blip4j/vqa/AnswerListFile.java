package org.blip4j.vqa;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.util.JsonLimits;

/** The candidate answers of 'rank' mode: a JSON list of strings (BLIP's answer_list.json) or one per line. */
public final class AnswerListFile {
    private AnswerListFile() {
    }

    public static List<String> read(Path file) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        if (content.stripLeading().startsWith("[")) {
            JsonNode root;
            try {
                root = JsonLimits.dataMapper().readTree(content);
            } catch (IOException e) {
                throw new IOException(file + ": not a valid JSON list of answers: " + e.getMessage(), e);
            }
            for (int i = 0; i < root.size(); i++) {
                if (!root.get(i).isTextual()) {
                    throw new IllegalArgumentException(file + " [" + i + "]: answers must be strings, got "
                            + root.get(i));
                }
                out.add(root.get(i).asText());
            }
        } else {
            for (String line : content.split("\r?\n")) {
                if (!line.isBlank()) {
                    out.add(line.strip());
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(file + ": no candidate answers");
        }
        return out;
    }
}
