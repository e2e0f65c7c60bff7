package org.blip4j.data;

import java.util.List;
import java.util.Map;

/**
 * What one pass over an epoch did. Counts cover the positions this pass consumed (from {@code startPosition},
 * so a resumed epoch reports only its own part).
 *
 * @param samplesSeen      samples taken from the order, delivered or skipped
 * @param samplesDelivered samples placed into delivered batches
 * @param batches          batches delivered
 * @param droppedAtEnd     decoded samples of a final short batch discarded by drop_last
 * @param skipped          skip counts by reason (every reason present, possibly 0)
 * @param skippedExamples  the first few skipped images with the reason, for the log
 * @param complete         whether the epoch ran to its end (false when closed early)
 */
public record EpochReport(int epoch, int startPosition, int samplesSeen, int samplesDelivered, int batches,
                          int droppedAtEnd, Map<SkipReason, Integer> skipped, List<String> skippedExamples,
                          boolean complete) {
    public EpochReport {
        skipped = Map.copyOf(skipped);
        skippedExamples = List.copyOf(skippedExamples);
    }

    public int skipped(SkipReason reason) {
        return skipped.getOrDefault(reason, 0);
    }

    public int skippedTotal() {
        return skipped.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** One log line. */
    public String summary() {
        return String.format("epoch %d%s: %d batches, %d samples delivered of %d seen; skipped %d missing, %d"
                        + " undecodable; %d dropped at end%s", epoch, complete ? "" : " (stopped early)", batches,
                samplesDelivered, samplesSeen, skipped(SkipReason.MISSING), skipped(SkipReason.UNDECODABLE),
                droppedAtEnd, skippedExamples.isEmpty() ? "" : "; first skipped: " + skippedExamples);
    }
}
