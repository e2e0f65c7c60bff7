package org.blip4j.cli;

import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Progress bars on stderr (rate and ETA), so stdout stays machine-readable. */
final class Progress {
    private Progress() {
    }

    static ProgressBar bar(String task, long total, String unit) {
        return bar(task, total, unit, 0);
    }

    /** A bar resuming at {@code done}: rate and ETA cover this run's work only. */
    static ProgressBar bar(String task, long total, String unit, long done) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" " + unit, 1).showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(500)
                .startsFrom(done, Duration.ZERO).build();
    }
}
