package org.blip4j.vqa;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.nio.file.Path;
import org.blip4j.util.AtomicFiles;

/** Writes {@code [{"question_id", "answer"}]} (what {@code blip eval vqa --predictions} scores), atomically. */
public final class VqaPredictionFile {
    private VqaPredictionFile() {
    }

    public static void write(Path file, List<VqaPrediction> predictions) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        AtomicFiles.write(file, out -> {
            try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartArray();
                for (VqaPrediction p : predictions) {
                    g.writeStartObject();
                    g.writeNumberField("question_id", p.questionId());
                    g.writeStringField("answer", p.answer());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
        });
    }
}
