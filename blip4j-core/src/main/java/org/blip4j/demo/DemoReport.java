package org.blip4j.demo;

import java.nio.file.Path;
import java.util.Map;
import org.blip4j.capfilt.CapfiltReport;

/** What the demo measured: both models' scores, the filter's quality, stage timings. */
public record DemoReport(Path out, ModelScores noCapfilt, ModelScores capfilt, CapfiltReport filtering,
        Map<String, Double> stageSeconds, Path markdown) {
}
