package org.blip4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.blip4j.testutil.Fixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Loads the pycocoevalcap reference cases under src/test/resources/metrics. */
final class CaptionFixtures {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private CaptionFixtures() {
    }

    static JsonNode json(String relative) {
        try {
            return MAPPER.readTree(Fixtures.resource("metrics/" + relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<String> cases(String kind) {
        List<String> names = new ArrayList<>();
        for (JsonNode c : json("index.json")) {
            if (c.get("kind").asText().equals(kind)) {
                names.add(c.get("name").asText());
            }
        }
        return names.stream();
    }

    static CaptionReferences references(String name) {
        Map<Long, List<String>> refs = new LinkedHashMap<>();
        JsonNode node = json("captions/" + name + "/case.json").get("references");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> caps = new ArrayList<>();
            e.getValue().forEach(c -> caps.add(c.asText()));
            refs.put(Long.parseLong(e.getKey()), caps);
        }
        return CaptionReferences.of(refs, name + "/case.json references");
    }

    static CaptionPredictions predictions(String name) {
        Map<Long, String> preds = new LinkedHashMap<>();
        JsonNode node = json("captions/" + name + "/case.json").get("predictions");
        node.fields().forEachRemaining(e -> preds.put(Long.parseLong(e.getKey()), e.getValue().asText()));
        return CaptionPredictions.of(preds, name + "/case.json predictions");
    }
}
