package org.blip4j.vqa;

import ai.djl.ndarray.NDArray;

/**
 * The image-grounded encoder's output for a batch of questions: what the answer decoder cross-attends to.
 *
 * @param states (B, Lq, H)
 * @param mask (B, Lq) question padding mask, 1 = token ('rank' and training use it; 'generate' replaces it by ones)
 */
public record QuestionStates(NDArray states, NDArray mask) {
    public int size() {
        return (int) states.getShape().get(0);
    }

    /** Question {@code b} alone, as a batch of one. */
    public QuestionStates row(int b) {
        return new QuestionStates(states.get("{}:{}", b, b + 1), mask.get("{}:{}", b, b + 1));
    }
}
