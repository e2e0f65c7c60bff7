package org.blip4j.demo;

import org.blip4j.capfilt.CapfiltPipeline;
import org.blip4j.task.retrieval.RetrievalEvaluator;
import org.blip4j.train.TrainingListener;

/** Progress of the demo: stages, and the listeners its steps report to. */
public interface DemoListener {
    default void stage(int index, int total, String name) {
    }

    default void message(String message) {
    }

    default TrainingListener training() {
        return TrainingListener.NONE;
    }

    default CapfiltPipeline.Listener capfilt() {
        return new CapfiltPipeline.Listener() {
        };
    }

    default RetrievalEvaluator.Progress retrieval() {
        return RetrievalEvaluator.Progress.NONE;
    }

    DemoListener NONE = new DemoListener() {
    };
}
