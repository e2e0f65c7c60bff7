package org.blip4j.train;

import java.util.List;
import java.util.Map;
import org.blip4j.data.Sample;

/**
 * What a run trains on: the loader's samples and, for VQA, each sample's answers by {@link Sample#key()} (the
 * loader carries only one text per sample, the question; the step looks the answers up by the batch's keys).
 */
public record TrainingSet(List<Sample> samples, Map<String, WeightedAnswers> answers) {
    public TrainingSet {
        samples = List.copyOf(samples);
        answers = Map.copyOf(answers);
    }

    public static TrainingSet of(List<Sample> samples) {
        return new TrainingSet(samples, Map.of());
    }

    public WeightedAnswers answersOf(String key) {
        WeightedAnswers a = answers.get(key);
        if (a == null) {
            throw new IllegalStateException("no answers for training sample " + key);
        }
        return a;
    }
}
