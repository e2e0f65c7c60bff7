package org.blip4j.demo;

/**
 * How long a demo stage took. A rerun skips the stages an earlier run finished; their times come from that run
 * (its {@code DONE} marker or result file), so the report's timings stay complete and say which are which.
 */
public record StageTime(double seconds, boolean earlierRun) {
    static StageTime now(double seconds) {
        return new StageTime(seconds, false);
    }

    static StageTime earlier(double seconds) {
        return new StageTime(seconds, true);
    }
}
