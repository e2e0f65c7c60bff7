package org.blip4j.capfilt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.blip4j.util.AtomicFiles;

/** {@code report.md}: counts, the paper's noise ratio, histograms, removed samples and noise-label metrics. */
final class ReportWriter {
    private ReportWriter() {
    }

    static void write(CapfiltReport r, CapfiltOptions o, Path md, String histogramPng) throws IOException {
        AtomicFiles.writeString(md, markdown(r, o, histogramPng));
    }

    static String markdown(CapfiltReport r, CapfiltOptions o, String histogramPng) {
        StringBuilder b = new StringBuilder("# CapFilt report\n\n");
        b.append(String.format(Locale.ROOT, "Decoding: %s (top_p %s, top_k %d, repetition penalty %s, beams %d, "
                + "max %d, min %d, seed %d), %d caption(s) per image; keep when P(match) >= %s.%n%n",
                o.generation().strategy().name().toLowerCase(Locale.ROOT), o.generation().topP(),
                o.generation().topK(), o.generation().repetitionPenalty(), o.generation().numBeams(),
                o.generation().maxLength(), o.generation().minLength(), o.generation().seed(),
                o.captionsPerImage(), o.threshold()));
        b.append(String.format(Locale.ROOT, "Web images: %d read, %d unreadable (skipped).%n%n", r.webRecords(),
                r.skippedImages()));
        if (r.inputShards() != null) {
            CapfiltReport.ShardCounts c = r.inputShards();
            b.append(String.format(Locale.ROOT, "Input shards: %d read, %d unreadable; %d samples; keys skipped: "
                    + "%d without image, %d without text; %d malformed json members.%n", c.shards(), c.corrupt(),
                    c.samples(), c.withoutImage(), c.withoutCaption(), c.badMetadata()));
            if (!c.skippedMembers().isEmpty()) {
                b.append("Members skipped:");
                new java.util.TreeMap<>(c.skippedMembers()).forEach((k, v) -> b.append(' ').append(k).append(' ')
                        .append(v).append(';'));
                b.setLength(b.length() - 1);
                b.append(".\n");
            }
            c.corruptExamples().forEach(e -> b.append("- unreadable shard ").append(e).append('\n'));
            b.append('\n');
        }
        b.append("| source | texts | kept | removed | removed % |\n|---|---|---|---|---|\n");
        row(b, "web", r.web());
        row(b, "synthetic", r.synthetic());
        b.append(String.format(Locale.ROOT, "| human (not filtered) | %d | %d | 0 | 0.0 |%n%n", r.human(), r.human()));
        b.append(String.format(Locale.ROOT, "**Noise ratio** (fraction of synthetic captions filtered out, as in the "
                + "paper's Tables 2 and 4): **%s** (paper: 25%% nucleus, 19%% beam, 8%% shared captioner/filter).%n",
                pct(r.syntheticNoiseRatio())));
        b.append(String.format(Locale.ROOT, "Fraction of web texts filtered out: **%s**.%n%n",
                pct(r.webRemovedFraction())));
        synthetic(b, r, o);
        b.append(String.format(Locale.ROOT, "Bootstrapped dataset: %d pairs (%d web + %d synthetic + %d human).%n%n",
                r.web().kept() + r.synthetic().kept() + r.human(), r.web().kept(), r.synthetic().kept(), r.human()));
        if (r.noise() != null) {
            CapfiltReport.NoiseMetrics n = r.noise();
            b.append("## Filter vs. ground-truth noise labels\n\n");
            b.append(String.format(Locale.ROOT, "- precision of removal (removed texts that were corrupted): %s%n"
                    + "- recall of removal (corrupted texts removed): %s%n"
                    + "- noise rate of web texts: input %s -> kept %s%n", pct(n.precision()), pct(n.recall()),
                    pct(n.inputNoiseRate()), pct(n.keptNoiseRate())));
            for (Map.Entry<String, Double> e : n.removedByKind().entrySet()) {
                b.append(String.format(Locale.ROOT, "- removed among \"%s\" texts: %s%n", e.getKey(),
                        pct(e.getValue())));
            }
            if (n.unlabelled() > 0) {
                b.append("- web texts without a label (left out): ").append(n.unlabelled()).append('\n');
            }
            b.append('\n');
        }
        b.append("## ITM P(match) histograms\n\n![ITM histogram](").append(histogramPng).append(")\n\n");
        b.append("| P(match) | web | synthetic |\n|---|---|---|\n");
        for (int i = 0; i < r.itmBins(); i++) {
            b.append(String.format(Locale.ROOT, "| %.2f-%.2f | %d | %d |%n", (double) i / r.itmBins(),
                    (double) (i + 1) / r.itmBins(), r.webItmHistogram()[i], r.syntheticItmHistogram()[i]));
        }
        b.append("\n## Samples of removed texts\n\n");
        if (r.removedSamples().isEmpty()) {
            b.append("(none)\n");
        }
        for (CapfiltRecord s : r.removedSamples()) {
            b.append(String.format(Locale.ROOT, "- [%s #%d] `%s` P(match) %.3f: %s%n", s.source().label(),
                    s.sourceIndex(), s.image(), s.itm(), s.caption().replace('\n', ' ')));
        }
        if (!r.skippedSamples().isEmpty()) {
            b.append("\n## Unreadable images (first ").append(r.skippedSamples().size()).append(")\n\n");
            r.skippedSamples().forEach(s -> b.append("- ").append(s).append('\n'));
        }
        return b.toString();
    }

    /** Synthetic texts per K (first k candidates of each captioner) and per captioner of an ensemble. */
    private static void synthetic(StringBuilder b, CapfiltReport r, CapfiltOptions o) {
        if (r.syntheticByCandidate().isEmpty()) {
            return;
        }
        b.append(String.format(Locale.ROOT, "Synthetic texts per image: **%s** kept (identical texts of one image "
                + "counted once; filter rule: %s).%n%n", ratio(r.synthetic().kept(), r.imagesScored()),
                o.filterRule().label()));
        b.append("| K (first K candidates) | distinct texts per image | kept per image | noise ratio |\n"
                + "|---|---|---|---|\n");
        for (int k = 1; k <= r.syntheticByCandidate().size(); k++) {
            CapfiltReport.SourceCounts c = r.syntheticFirstCandidates(k);
            b.append(String.format(Locale.ROOT, "| %d | %s | %s | %s |%n", k, ratio(c.total(), r.imagesScored()),
                    ratio(c.kept(), r.imagesScored()), pct(c.removedFraction())));
        }
        b.append('\n');
        if (r.syntheticByCaptioner().size() > 1) {
            b.append("| captioner | distinct texts | kept | noise ratio |\n|---|---|---|---|\n");
            for (int i = 0; i < r.syntheticByCaptioner().size(); i++) {
                CapfiltReport.SourceCounts c = r.syntheticByCaptioner().get(i);
                b.append(String.format(Locale.ROOT, "| %d | %d | %d | %s |%n", i, c.total(), c.kept(),
                        pct(c.removedFraction())));
            }
            b.append('\n');
        }
    }

    private static String ratio(long a, long n) {
        return n == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", (double) a / n);
    }

    private static void row(StringBuilder b, String name, CapfiltReport.SourceCounts c) {
        b.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %s |%n", name, c.total(), c.kept(), c.removed(),
                Double.isNaN(c.removedFraction()) ? "n/a"
                        : String.format(Locale.ROOT, "%.1f", 100 * c.removedFraction())));
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
