package org.blip4j.train;

import org.blip4j.data.EpochReport;

/** Progress callbacks of a training run (the CLI draws a progress bar from them). */
public interface TrainingListener {
    default void onStart(long totalSteps, long startStep) {
    }

    default void onStep(StepMetrics metrics) {
    }

    default void onEpochEnd(EpochReport report) {
    }

    default void onMessage(String message) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
