package org.blip4j.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.blip4j.capfilt.CapfiltReport;
import org.blip4j.train.vision.VisionPretrainResult;

/**
 * What the demo measured: the image encoder's pre-training, both models' scores, the filter's quality (the last
 * round's), timings, and every round of bootstrapping (one unless {@code --rounds}).
 */
public record DemoReport(Path out, VisionPretrainResult imageEncoder, ModelScores noCapfilt, ModelScores capfilt,
        CapfiltReport filtering, Map<String, StageTime> stageTimes, Path markdown, List<BootstrapRound> rounds) {
    public DemoReport {
        rounds = List.copyOf(rounds);
    }
}
