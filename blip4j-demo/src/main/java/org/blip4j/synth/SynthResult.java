package org.blip4j.synth;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@link SyntheticWorld#generate} wrote.
 *
 * @param noiseCounts web texts per label, every {@link NoiseKind} present
 */
public record SynthResult(Path out, int webImages, int humanImages, int testImages, Map<NoiseKind, Integer> noiseCounts,
                          int vocabularySize, long elapsedMillis) {
    public SynthResult {
        noiseCounts = Map.copyOf(noiseCounts);
    }

    public String summary() {
        return String.format("%s: %d web (%s), %d human, %d test images; %d caption words; %.1f s", out, webImages,
                noiseCounts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .map(e -> e.getKey().label() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse(""),
                humanImages, testImages, vocabularySize, elapsedMillis / 1000.0);
    }
}
