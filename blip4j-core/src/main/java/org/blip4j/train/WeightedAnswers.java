package org.blip4j.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training targets of one VQA question: its distinct answers, in first-seen order, each with a loss weight
 * (orig {@code vqa_dataset.__getitem__} in {@code data/vqa_dataset.py}).
 */
public record WeightedAnswers(List<String> answers, float[] weights) {
    /** Visual Genome QA pairs carry one answer of this fixed weight. */
    public static final float VISUAL_GENOME_WEIGHT = 0.2f;

    public WeightedAnswers {
        answers = List.copyOf(answers);
        weights = weights.clone();
        if (answers.isEmpty() || answers.size() != weights.length) {
            throw new IllegalArgumentException(answers.size() + " answers with " + weights.length + " weights");
        }
    }

    /** VQA v2: an answer's weight is the share of the listed (annotator) answers that gave it. */
    public static WeightedAnswers byShare(List<String> given) {
        if (given.isEmpty()) {
            throw new IllegalArgumentException("a question needs at least one answer");
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        given.forEach(a -> counts.merge(a, 1, Integer::sum));
        float[] w = new float[counts.size()];
        int i = 0;
        for (int c : counts.values()) {
            w[i++] = (float) ((double) c / given.size());
        }
        return new WeightedAnswers(new ArrayList<>(counts.keySet()), w);
    }

    /** Visual Genome: the single answer with weight 0.2. */
    public static WeightedAnswers visualGenome(String answer) {
        return new WeightedAnswers(List.of(answer), new float[] {VISUAL_GENOME_WEIGHT});
    }

    public int size() {
        return answers.size();
    }
}
