package org.blip4j.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The official VQA accuracy (VQAEval.evaluate, GT-Vision-Lab/VQA a013f00). */
public final class VqaEvaluator {

    /**
     * Scores every annotated question in annotation order. Like the official loader, predictions must answer
     * exactly the annotated questions.
     */
    public VqaAccuracy evaluate(VqaAnnotations annotations, VqaPredictions predictions) {
        Map<Long, String> answers = predictions.answers();
        HashSet<Long> annotated = new HashSet<>();
        for (VqaAnnotations.Question q : annotations.questions()) {
            annotated.add(q.questionId());
            if (!answers.containsKey(q.questionId())) {
                throw new IllegalArgumentException(predictions.source() + ": no answer for question_id "
                        + q.questionId() + " of " + annotations.source());
            }
        }
        for (Long id : answers.keySet()) {
            if (!annotated.contains(id)) {
                throw new IllegalArgumentException(predictions.source() + ": answer for question_id " + id
                        + ", which is not in " + annotations.source());
            }
        }
        if (annotated.isEmpty()) {
            throw new IllegalArgumentException(annotations.source() + ": no questions to evaluate");
        }

        List<Double> all = new ArrayList<>();
        Map<String, List<Double>> byAnswerType = new LinkedHashMap<>();
        Map<String, List<Double>> byQuestionType = new LinkedHashMap<>();
        Map<Long, Double> perQuestion = new LinkedHashMap<>();
        for (VqaAnnotations.Question q : annotations.questions()) {
            double acc = questionAccuracy(q, answers.get(q.questionId()));
            all.add(acc);
            byAnswerType.computeIfAbsent(q.answerType(), k -> new ArrayList<>()).add(acc);
            byQuestionType.computeIfAbsent(q.questionType(), k -> new ArrayList<>()).add(acc);
            perQuestion.put(q.questionId(), 100 * acc);
        }
        return new VqaAccuracy(percentMean(all), percentMeans(byAnswerType), percentMeans(byQuestionType),
                Collections.unmodifiableMap(perQuestion));
    }

    /** Mean over the leave-one-out subsets of min(1, #matching other answers / 3), in [0, 1]. */
    static double questionAccuracy(VqaAnnotations.Question q, String prediction) {
        List<VqaAnnotations.GtAnswer> gts = new ArrayList<>();
        for (VqaAnnotations.GtAnswer a : q.answers()) {
            gts.add(new VqaAnnotations.GtAnswer(VqaAnswerNormalizer.clean(a.answer()), a.otherFields()));
        }
        String res = VqaAnswerNormalizer.clean(prediction);
        // the official quirk: normalise only when the annotators disagree (raw strings are compared otherwise)
        if (gts.stream().map(VqaAnnotations.GtAnswer::answer).distinct().count() > 1) {
            gts.replaceAll(a -> new VqaAnnotations.GtAnswer(normalize(a.answer()), a.otherFields()));
            res = normalize(res);
        }
        double sum = 0; // Python's left-to-right sum(): the order matters for values like 60.00000000000001
        for (VqaAnnotations.GtAnswer left : gts) {
            int matching = 0;
            for (VqaAnnotations.GtAnswer other : gts) {
                if (!other.equals(left) && other.answer().equals(res)) {
                    matching++;
                }
            }
            sum += Math.min(1.0, matching / 3.0);
        }
        return sum / gts.size();
    }

    private static String normalize(String answer) {
        return VqaAnswerNormalizer.processDigitArticle(VqaAnswerNormalizer.processPunctuation(answer));
    }

    /** {@code 100 * float(sum(values)) / len(values)}, left to right. */
    private static double percentMean(List<Double> values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return 100 * sum / values.size();
    }

    private static Map<String, Double> percentMeans(Map<String, List<Double>> groups) {
        Map<String, Double> out = new LinkedHashMap<>();
        groups.forEach((k, v) -> out.put(k, percentMean(v)));
        return Collections.unmodifiableMap(out);
    }
}
