package org.blip4j.capfilt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accumulates a run's report while its records stream past: counts, ITM histograms and a few samples, so the
 * memory stays constant whatever the number of records.
 */
final class CapfiltStats {
    static final int BINS = 20;
    static final int SAMPLES = 10;
    private static final int SKIPPED_NAMES = 10;

    private final NoiseLabels labels;
    private long webRecords;
    private long skipped;
    private final List<String> skippedNames = new ArrayList<>();
    private long webTotal;
    private long webKept;
    private long synthTotal;
    private long synthKept;
    private long human;
    private final long[] webHist = new long[BINS];
    private final long[] synthHist = new long[BINS];
    private final List<CapfiltRecord> removedWeb = new ArrayList<>();
    private final List<CapfiltRecord> removedSynth = new ArrayList<>();
    // noise-label confusion over web texts: label -> {kept, removed}
    private final Map<String, long[]> byLabel = new HashMap<>();
    private long unlabelled;
    private long shardSkipped;
    // distinct synthetic texts by candidate index and by captioner: {scored, kept}
    private final TreeMap<Integer, long[]> byCandidate = new TreeMap<>();
    private final TreeMap<Integer, long[]> byCaptioner = new TreeMap<>();
    private long shards;
    private long shardSamples;
    private long shardWithoutImage;
    private long shardWithoutCaption;
    private long shardBadMetadata;
    private final Map<String, Long> shardSkips = new TreeMap<>();
    private final List<String> corruptShards = new ArrayList<>();
    private long corruptCount;

    CapfiltStats(NoiseLabels labels) {
        this.labels = labels;
    }

    void webRecords(long n) {
        webRecords += n;
    }

    void skipped(CapfiltStep.Skipped s) {
        skipped++;
        if (skippedNames.size() < SKIPPED_NAMES) {
            skippedNames.add(s.image() + ": " + s.reason());
        }
    }

    /** One input shard's summary (shard input only). */
    void shard(ShardSummary s) {
        shards++;
        webRecords += s.samples();
        shardSamples += s.samples();
        shardWithoutImage += s.withoutImage();
        shardWithoutCaption += s.withoutCaption();
        shardBadMetadata += s.badMetadata();
        s.skippedMembers().forEach((k, v) -> shardSkips.merge(k, (long) v, Long::sum));
        if (s.error() != null) {
            corruptCount++;
            if (corruptShards.size() < SKIPPED_NAMES) {
                corruptShards.add(s.shard() + ": " + s.error());
            }
        }
    }

    /** A kept pair whose image could not go into a webdataset shard (missing, or not a shard image type). */
    void shardSkipped() {
        shardSkipped++;
    }

    void add(CapfiltRecord r) {
        switch (r.source()) {
            case HUMAN -> human++;
            case WEB -> {
                webTotal++;
                webKept += r.kept() ? 1 : 0;
                webHist[bin(r.itm())]++;
                sample(r, removedWeb);
                label(r);
            }
            case SYNTHETIC -> {
                synthTotal++;
                synthKept += r.kept() ? 1 : 0;
                synthHist[bin(r.itm())]++;
                sample(r, removedSynth);
                count(byCandidate, r.decoding().candidate(), r.kept());
                count(byCaptioner, r.decoding().captioner(), r.kept());
            }
        }
    }

    private static void count(TreeMap<Integer, long[]> m, int key, boolean kept) {
        long[] c = m.computeIfAbsent(key, x -> new long[2]);
        c[0]++;
        c[1] += kept ? 1 : 0;
    }

    private static List<CapfiltReport.SourceCounts> counts(TreeMap<Integer, long[]> m) {
        List<CapfiltReport.SourceCounts> out = new ArrayList<>();
        if (m.isEmpty()) {
            return out;
        }
        for (int i = 0; i <= m.lastKey(); i++) {
            long[] c = m.getOrDefault(i, new long[2]);
            out.add(new CapfiltReport.SourceCounts(c[0], c[1]));
        }
        return out;
    }

    private static int bin(double p) {
        return Math.max(0, Math.min(BINS - 1, (int) Math.floor(p * BINS)));
    }

    private static void sample(CapfiltRecord r, List<CapfiltRecord> into) {
        if (!r.kept() && into.size() < SAMPLES) {
            into.add(r);
        }
    }

    private void label(CapfiltRecord r) {
        if (labels == null) {
            return;
        }
        String label = labels.of(r.sourceIndex());
        if (label == null) {
            unlabelled++;
        } else {
            byLabel.computeIfAbsent(label, k -> new long[2])[r.kept() ? 0 : 1]++;
        }
    }

    CapfiltReport report() {
        var web = new CapfiltReport.SourceCounts(webTotal, webKept);
        var synth = new CapfiltReport.SourceCounts(synthTotal, synthKept);
        List<CapfiltRecord> samples = new ArrayList<>(removedWeb);
        samples.addAll(removedSynth);
        return new CapfiltReport(webRecords, skipped, List.copyOf(skippedNames), web, synth, human,
                shardSkipped, BINS, webHist.clone(), synthHist.clone(), samples,
                labels == null ? null : noise(), counts(byCandidate), counts(byCaptioner), shards == 0 ? null
                        : new CapfiltReport.ShardCounts(shards, corruptCount, List.copyOf(corruptShards), shardSamples,
                                shardWithoutImage, shardWithoutCaption, shardBadMetadata, Map.copyOf(shardSkips)));
    }

    private CapfiltReport.NoiseMetrics noise() {
        long tp = 0;
        long fn = 0;
        long fp = 0;
        long keptClean = 0;
        Map<String, Double> removedByKind = new LinkedHashMap<>();
        for (String label : labels.names()) {
            long[] counts = byLabel.getOrDefault(label, new long[2]);
            long kept = counts[0];
            long removed = counts[1];
            if (label.equals(NoiseLabels.CLEAN)) {
                fp += removed;
                keptClean += kept;
            } else {
                tp += removed;
                fn += kept;
            }
            removedByKind.put(label, ratio(removed, kept + removed));
        }
        long labelled = tp + fn + fp + keptClean;
        return new CapfiltReport.NoiseMetrics(ratio(tp, tp + fp), ratio(tp, tp + fn), ratio(tp + fn, labelled),
                ratio(fn, fn + keptClean), removedByKind, unlabelled);
    }

    private static double ratio(long a, long b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
