package org.blip4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The official VQA evaluation's numbers, bit for bit: full precision (n=20) and the official n=2 output. */
class VqaFixtureTest {
    static Stream<String> cases() {
        return CaptionFixtures.cases("vqa");
    }

    private static VqaAccuracy evaluate(String name) {
        JsonNode c = CaptionFixtures.json("vqa/" + name + "/case.json");
        return new VqaEvaluator().evaluate(VqaAnnotations.fromJson(c.get("annotations"), name + " annotations"),
                VqaPredictions.fromJson(c.get("results"), name + " results"));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void fullPrecisionIsBitExact(String name) {
        JsonNode expected = CaptionFixtures.json("vqa/" + name + "/accuracy.json");
        VqaAccuracy acc = evaluate(name);
        List<Long> order = new ArrayList<>();
        expected.get("question_ids").forEach(id -> order.add(Long.parseLong(id.asText())));
        assertEquals(order, List.copyOf(acc.perQuestion().keySet()), "evaluation order");
        assertMatches(expected.get("full_precision"), acc, name + " full precision");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void officialRoundingMatches(String name) {
        JsonNode expected = CaptionFixtures.json("vqa/" + name + "/accuracy.json");
        assertMatches(expected.get("official_n2"), evaluate(name).rounded(2), name + " n=2");
    }

    private static void assertMatches(JsonNode expected, VqaAccuracy acc, String what) {
        assertEquals(expected.get("overall").asDouble(), acc.overall(), 0.0, what + " overall");
        assertSameMap(expected.get("perAnswerType"), acc.perAnswerType(), what + " perAnswerType");
        assertSameMap(expected.get("perQuestionType"), acc.perQuestionType(), what + " perQuestionType");
        assertEquals(expected.get("evalQA").size(), acc.perQuestion().size(), what + " #questions");
        expected.get("evalQA").fields().forEachRemaining(e -> assertEquals(e.getValue().asDouble(),
                acc.perQuestion().get(Long.parseLong(e.getKey())), 0.0, what + " question " + e.getKey()));
    }

    private static void assertSameMap(JsonNode expected, Map<String, Double> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + " keys");
        expected.fields().forEachRemaining(e ->
                assertEquals(e.getValue().asDouble(), actual.get(e.getKey()), 0.0, what + " " + e.getKey()));
    }
}
