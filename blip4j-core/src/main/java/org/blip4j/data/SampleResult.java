package org.blip4j.data;

/** A worker's outcome for one position: pixels and caption, or why the sample was skipped. */
record SampleResult(Sample sample, float[] pixels, String caption, SkipReason skip, String skipMessage) {
    static SampleResult ok(Sample sample, float[] pixels, String caption) {
        return new SampleResult(sample, pixels, caption, null, null);
    }

    static SampleResult skipped(Sample sample, SkipReason reason, String message) {
        return new SampleResult(sample, null, null, reason, message);
    }

    boolean isSkipped() {
        return skip != null;
    }
}
