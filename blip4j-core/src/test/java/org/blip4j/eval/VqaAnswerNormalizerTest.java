package org.blip4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.blip4j.eval.VqaAnswerNormalizer.clean;
import static org.blip4j.eval.VqaAnswerNormalizer.processDigitArticle;
import static org.blip4j.eval.VqaAnswerNormalizer.processPunctuation;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class VqaAnswerNormalizerTest {
    static Stream<String> cases() {
        return CaptionFixtures.cases("vqa");
    }

    /** The fixtures' "normalised" diagnostics: the strings the official code actually compared. */
    @ParameterizedTest
    @MethodSource("cases")
    void comparedStringsMatchOfficial(String name) {
        JsonNode c = CaptionFixtures.json("vqa/" + name + "/case.json");
        Map<String, String> predictions = new HashMap<>();
        c.get("results").forEach(r -> predictions.put(r.get("question_id").asText(), r.get("answer").asText()));
        Map<String, JsonNode> annotations = new HashMap<>();
        c.get("annotations").get("annotations").forEach(a -> annotations.put(a.get("question_id").asText(), a));
        for (JsonNode n : CaptionFixtures.json("vqa/" + name + "/accuracy.json").get("normalised")) {
            String qid = n.get("question_id").asText();
            boolean applied = n.get("normalisation_applied").asBoolean();
            List<String> gts = new ArrayList<>();
            annotations.get(qid).get("answers").forEach(a -> gts.add(clean(a.get("answer").asText())));
            assertEquals(applied, gts.stream().distinct().count() > 1, qid + " normalisation applied");
            List<String> want = new ArrayList<>();
            n.get("gt_answers_compared").forEach(a -> want.add(a.asText()));
            List<String> got = applied ? gts.stream().map(VqaAnswerNormalizerTest::normalize).toList() : gts;
            assertEquals(want, got, qid + " gt answers");
            String pred = clean(predictions.get(qid));
            assertEquals(n.get("prediction_compared").asText(), applied ? normalize(pred) : pred, qid + " prediction");
        }
    }

    private static String normalize(String s) {
        return processDigitArticle(processPunctuation(s));
    }

    @Test
    void punctuationQuirks() {
        assertEquals("15002000", processPunctuation("1,500-2,000"), "digit,digit anywhere deletes all punctuation");
        assertEquals("black white", processPunctuation("black/white"), "unspaced mark becomes a space");
        assertEquals("black  white", processPunctuation("black / white"), "spaced mark is deleted");
        assertEquals("2", processPunctuation("2."), "period not followed by a digit goes");
        assertEquals("1.5", processPunctuation("1.5"), "decimal point stays");
        assertEquals("10:30", processPunctuation("10:30"), "':' is not in the list");
        assertEquals("dont", processPunctuation("dont"));
        // re.UNICODE (32) passed as count: only the first 32 periods are removed
        assertEquals(".", processPunctuation(".".repeat(33)));
    }

    @Test
    void digitArticleQuirks() {
        assertEquals("2 dogs", processDigitArticle("Two dogs"));
        assertEquals("0", processDigitArticle("none"));
        assertEquals("red car", processDigitArticle("the  red a car an"));
        assertEquals("don't", processDigitArticle("dont"));
        assertEquals("im", processDigitArticle("Im"), "contraction keys are case-sensitive, so 'im' stays");
        assertEquals("yes", clean("\tyes\n "));
    }

    @Test
    void accuracyIsLeaveOneOutMean() {
        List<VqaAnnotations.GtAnswer> answers = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            answers.add(VqaAnnotations.GtAnswer.of(i <= 2 ? "cat" : "dog", i));
        }
        VqaAnnotations.Question q = new VqaAnnotations.Question(1, "what is", "other", answers);
        // 2 of 10 say "cat": leaving out a "cat" leaves 1 match (1/3), leaving out a "dog" leaves 2 (2/3)
        assertEquals((2 * (1.0 / 3) + 8 * (2.0 / 3)) / 10, VqaEvaluator.questionAccuracy(q, "cat"), 1e-15);
        assertEquals(1.0, VqaEvaluator.questionAccuracy(q, "Dog"), "normalised: annotators disagree");
        List<VqaAnnotations.GtAnswer> same = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            same.add(VqaAnnotations.GtAnswer.of("yes", i));
        }
        VqaAnnotations.Question unanimous = new VqaAnnotations.Question(2, "is", "yes/no", same);
        assertEquals(0.0, VqaEvaluator.questionAccuracy(unanimous, "Yes"), "no normalisation when all agree");
    }

    @Test
    void predictionsMustMatchAnnotatedQuestions() {
        VqaAnnotations anns = VqaAnnotations.of(List.of(new VqaAnnotations.Question(7, "what", "other",
                List.of(VqaAnnotations.GtAnswer.of("a", 1)))), "ann.json");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> new VqaEvaluator()
                .evaluate(anns, VqaPredictions.of(Map.of(7L, "a", 8L, "b"), "res.json")));
        assertEquals("res.json: answer for question_id 8, which is not in ann.json", unknown.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new VqaEvaluator()
                .evaluate(anns, VqaPredictions.of(Map.of(), "res.json")));
        assertEquals("res.json: no answer for question_id 7 of ann.json", missing.getMessage());
    }

    @Test
    void roundingIsPython2HalfAwayFromZero() {
        assertEquals(0.13, VqaAccuracy.round(0.125, 2), "exact binary tie rounds away from zero");
        assertEquals(60.0, VqaAccuracy.round(60.00000000000001, 2));
        assertEquals(87.78, VqaAccuracy.round(87.77777777777777, 2));
    }
}
