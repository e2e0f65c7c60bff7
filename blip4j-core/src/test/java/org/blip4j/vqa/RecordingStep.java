package org.blip4j.vqa;

import java.util.ArrayList;
import java.util.List;
import org.blip4j.generate.StepFunction;

/** Records what a decoding strategy feeds, receives and reorders. */
final class RecordingStep implements StepFunction {
    final StepFunction inner;
    final List<long[][]> feeds = new ArrayList<>();
    final List<float[][]> logits = new ArrayList<>();
    final List<int[]> reorders = new ArrayList<>();

    RecordingStep(StepFunction inner) {
        this.inner = inner;
    }

    @Override
    public float[][] step(long[][] newTokens) {
        feeds.add(newTokens);
        float[][] l = inner.step(newTokens);
        logits.add(l);
        return l;
    }

    @Override
    public void reorder(int[] rows) {
        reorders.add(rows.clone());
        inner.reorder(rows);
    }
}
