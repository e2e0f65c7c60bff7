package org.blip4j.capfilt;

import java.util.List;
import java.util.Map;

/**
 * The numbers of a CapFilt run (also in {@code report.md}).
 *
 * @param webRecords web records read (images); {@code skippedImages} of them could not be decoded
 * @param shardSkipped kept pairs left out of the webdataset shards (image missing or not an image type)
 * @param itmBins edges of the ITM histograms: bin i covers [i/bins, (i+1)/bins)
 * @param removedSamples the first removed texts of each source (web, then synthetic)
 * @param noise filter quality against ground-truth labels; null without {@code --noise-labels}
 * @param syntheticByCandidate distinct synthetic texts by candidate index (0..K-1, all captioners together); since
 *     candidate c is the same caption whatever K is, the first k entries are what a run with K = k would have
 * @param syntheticByCaptioner distinct synthetic texts by captioner (index in the ensemble)
 * @param inputShards what the input shards gave; null for BLIP JSON input
 */
public record CapfiltReport(long webRecords, long skippedImages, List<String> skippedSamples,
        SourceCounts web, SourceCounts synthetic, long human, long shardSkipped, int itmBins, long[] webItmHistogram,
        long[] syntheticItmHistogram, List<CapfiltRecord> removedSamples, NoiseMetrics noise,
        List<SourceCounts> syntheticByCandidate, List<SourceCounts> syntheticByCaptioner, ShardCounts inputShards) {

    public CapfiltReport {
        syntheticByCandidate = List.copyOf(syntheticByCandidate);
        syntheticByCaptioner = List.copyOf(syntheticByCaptioner);
    }

    /** Images captioned and scored (read and decodable). */
    public long imagesScored() {
        return webRecords - skippedImages;
    }

    /** Synthetic texts kept per scored image (K captions per captioner, duplicates counted once). */
    public double syntheticKeptPerImage() {
        return imagesScored() == 0 ? Double.NaN : (double) synthetic.kept() / imagesScored();
    }

    /**
     * What the first {@code k} candidates of every captioner give together: distinct texts scored and kept (a
     * duplicate of an earlier candidate is counted under the earlier one, so these are exact for K = k).
     */
    public SourceCounts syntheticFirstCandidates(int k) {
        long total = 0;
        long kept = 0;
        for (int c = 0; c < Math.min(k, syntheticByCandidate.size()); c++) {
            total += syntheticByCandidate.get(c).total();
            kept += syntheticByCandidate.get(c).kept();
        }
        return new SourceCounts(total, kept);
    }

    /**
     * Webdataset input: shards read, shards that were not readable tars (counted, the rest done), samples, and
     * keys and members skipped by reason.
     *
     * @param corruptExamples the first unreadable shards with the reason
     * @param skippedMembers member skips by reason (unsafe_name, link, special_file, sparse, too_large, truncated)
     */
    public record ShardCounts(long shards, long corrupt, List<String> corruptExamples, long samples,
            long withoutImage, long withoutCaption, long badMetadata, Map<String, Long> skippedMembers) {
    }

    /** The paper's "noise ratio" (Tables 2, 4): fraction of synthetic captions removed. */
    public double syntheticNoiseRatio() {
        return synthetic.removedFraction();
    }

    public double webRemovedFraction() {
        return web.removedFraction();
    }

    /** Texts of one source: how many were scored, kept and removed. */
    public record SourceCounts(long total, long kept) {
        public long removed() {
            return total - kept;
        }

        public double removedFraction() {
            return total == 0 ? Double.NaN : (double) removed() / total;
        }
    }

    /**
     * How well the filter removes corrupted web texts (label other than clean). A removed text is a "positive".
     *
     * @param precision removed and corrupted / removed
     * @param recall removed and corrupted / corrupted
     * @param inputNoiseRate corrupted / scored web texts
     * @param keptNoiseRate corrupted / kept web texts
     * @param removedByKind per label: fraction of its texts the filter removed
     * @param unlabelled scored web texts the label file has no label for (left out of the metrics)
     */
    public record NoiseMetrics(double precision, double recall, double inputNoiseRate, double keptNoiseRate,
            Map<String, Double> removedByKind, long unlabelled) {

        /** Fraction of correct ("clean") web texts the filter kept. */
        public double cleanKeptFraction() {
            return 1 - removedByKind.getOrDefault("clean", Double.NaN);
        }
    }
}
