package org.blip4j.demo;

import java.util.List;

/** A pre-trained model's zero-shot scores on the test split, and a few of its captions. */
public record ModelScores(String name, double trR1, double irR1, double rMean, double bleu4, double cider,
        List<String> exampleCaptions) {
}
