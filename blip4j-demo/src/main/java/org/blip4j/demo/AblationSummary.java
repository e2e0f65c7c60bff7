package org.blip4j.demo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.blip4j.util.AtomicFiles;
import org.blip4j.util.ChartFiles;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * The ablation's tables (mean ± sample std over the seeds done, per-seed rows), one plot per family, issue 19's
 * every-seed check and the stage times, written as a marked section of a Markdown page: everything between
 * {@link #BEGIN} and {@link #END} is replaced, the rest of the page (the hand-written analysis) kept. Reads the
 * results from disk, so several processes running different seeds of one experiment each write the whole picture.
 */
public final class AblationSummary {
    public static final String BEGIN = "<!-- ablation:begin (written by ./blip ablate: this section is replaced on "
            + "every run) -->";
    public static final String END = "<!-- ablation:end -->";
    private static final List<AblationVariant> ALL = List.of(AblationVariant.values());

    private AblationSummary() {
    }

    /** Every finished variant result of each seed under {@code out/seed-N}. */
    public static Map<Long, Map<AblationVariant, VariantResult>> collect(Path out, List<Long> seeds)
            throws IOException {
        Map<Long, Map<AblationVariant, VariantResult>> all = new LinkedHashMap<>();
        for (long seed : seeds) {
            Map<AblationVariant, VariantResult> m = new EnumMap<>(AblationVariant.class);
            for (AblationVariant v : ALL) {
                Path f = out.resolve("seed-" + seed).resolve("variants").resolve(v.id).resolve(VariantResult.FILE);
                if (Files.exists(f)) {
                    m.put(v, VariantResult.read(f));
                }
            }
            all.put(seed, m);
        }
        return all;
    }

    /**
     * {@link #write} under an exclusive lock on {@code OUT/.summary.lock}: the processes of one experiment (one per
     * seed group) take turns, so their plots and page never overwrite each other half-way.
     */
    public static void writeLocked(Path page, Path out, DemoOptions o, List<Long> seeds, String command,
            String scale) throws IOException {
        Files.createDirectories(out);
        try (FileChannel ch = FileChannel.open(out.resolve(".summary.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
            write(page, out, o, seeds, command, scale);
        }
    }

    /**
     * Writes the section into {@code page} (created when missing; section appended when the page has none) and the
     * plots into {@code page/../img/ablation_FAMILY.png}.
     *
     * @param command the command line that ran the experiment; @param scale what the sizes are, in words
     */
    public static void write(Path page, Path out, DemoOptions o, List<Long> seeds, String command, String scale)
            throws IOException {
        Map<Long, Map<AblationVariant, VariantResult>> r = collect(out, seeds);
        Path img = page.toAbsolutePath().getParent().resolve("img");
        Files.createDirectories(img);
        StringBuilder s = new StringBuilder(BEGIN).append('\n');
        s.append("## The CapFilt ablation, ").append(seeds.size()).append(" seeds (issue 19)\n\n");
        long done = r.values().stream().mapToLong(Map::size).sum();
        s.append(String.format(Locale.ROOT, "Written by `%s` on %s (%s UTC): %d of %d variant runs done (",
                command, machine(), ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern(
                        "yyyy-MM-dd HH:mm")), done, (long) seeds.size() * ALL.size()));
        List<String> perSeed = new ArrayList<>();
        r.forEach((seed, m) -> perSeed.add("seed " + seed + ": " + m.size()));
        s.append(String.join(", ", perSeed)).append(").\n\n");
        s.append(String.format(Locale.ROOT, "Scale: %s. World per seed: %d web images (%.0f%% corrupted texts), "
                + "%d human images × %d captions, %d test images, %d labelled images for the image encoder. Steps "
                + "of batch %d: image encoder %d, each pre-training %d, captioner %d, filter %d (the shared "
                + "captioner + filter: %d steps of ITC + ITM + LM). Every variant's data is pre-trained into a fresh "
                + "model like the demo's final pre-training (image encoder from stage 2) and evaluated zero-shot on "
                + "the test split: retrieval ITC top-%d re-ranked by ITM, captions beam 3. Filter figures are "
                + "against the hidden noise labels (removing a corrupted web text is a positive); the synthetic "
                + "noise ratio is the share of synthetic captions the filter removed (the paper's Tables 2 and 4); "
                + "\"synthetic / image\" counts the synthetic captions trained on per web image.%n%n", scale,
                o.webSize(), 100 * o.noise(), o.humanSize(), o.humanCaptions(), o.testSize(), o.visionSize(),
                o.batch(), o.visionSteps(), o.pretrainSteps(), o.captionerSteps(), o.filterSteps(),
                o.filterSteps(), o.kTest()));
        for (AblationVariant.Family f : AblationVariant.FAMILIES) {
            family(s, f, r, img, page);
        }
        everySeed(s, r);
        stageTimes(s, out, seeds);
        s.append(END).append('\n');
        replaceSection(page, s.toString());
    }

    private static void family(StringBuilder s, AblationVariant.Family f, Map<Long, Map<AblationVariant,
            VariantResult>> r, Path img, Path page) throws IOException {
        s.append("### ").append(f.title()).append("\n\n").append(f.note()).append(".\n\n");
        s.append("| variant | TR@1 | IR@1 | BLEU-4 | CIDEr | filter precision | filter recall | kept-web noise "
                + "| synthetic noise ratio | synthetic / image | seeds |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (AblationVariant.Row row : f.rows()) {
            List<VariantResult> v = results(r, row.variant());
            s.append("| ").append(row.name());
            for (Function<VariantResult, Double> m : List.<Function<VariantResult, Double>>of(x -> x.scores().trR1(),
                    x -> x.scores().irR1(), x -> 100 * x.scores().bleu4(), x -> 100 * x.scores().cider())) {
                s.append(" | ").append(meanStd(v, m, 1, ""));
            }
            s.append(" | ").append(meanStd(v, VariantResult::filterPrecision, 100, "%"));
            s.append(" | ").append(meanStd(v, VariantResult::filterRecall, 100, "%"));
            s.append(" | ").append(meanStd(v, VariantResult::keptWebNoise, 100, "%"));
            s.append(" | ").append(meanStd(v, VariantResult::syntheticNoiseRatio, 100, "%"));
            s.append(" | ").append(meanStd(v, VariantResult::syntheticPerImage, 1, ""));
            s.append(" | ").append(v.size()).append(" |\n");
        }
        Path png = img.resolve("ablation_" + f.id() + ".png");
        ChartFiles.writePng(() -> chart(f, r), png);
        s.append("\n![").append(f.title()).append("](").append(page.toAbsolutePath().getParent().relativize(png))
                .append(")\n\n");
        s.append("<details><summary>per seed</summary>\n\n| seed | variant | TR@1 | IR@1 | BLEU-4 | CIDEr "
                + "| synthetic noise ratio |\n|---|---|---|---|---|---|---|\n");
        r.forEach((seed, m) -> {
            for (AblationVariant.Row row : f.rows()) {
                VariantResult x = m.get(row.variant());
                if (x != null) {
                    s.append(String.format(Locale.ROOT, "| %d | %s | %.1f | %.1f | %.1f | %.1f | %s |%n", seed,
                            row.name(), x.scores().trR1(), x.scores().irR1(), 100 * x.scores().bleu4(),
                            100 * x.scores().cider(), x.syntheticNoiseRatio() == null ? "—"
                                    : String.format(Locale.ROOT, "%.1f%%", 100 * x.syntheticNoiseRatio())));
                }
            }
        });
        s.append("\n</details>\n\n");
    }

    /** Issue 19's goal: a bootstrapped variant that beats no CapFilt on TR@1, IR@1 and CIDEr on every seed. */
    private static void everySeed(StringBuilder s, Map<Long, Map<AblationVariant, VariantResult>> r) {
        s.append("### Which variants beat no CapFilt on TR@1, IR@1 and CIDEr on every seed\n\n");
        s.append("| variant | seeds where all three are higher | mean gain TR@1 / IR@1 / CIDEr |\n|---|---|---|\n");
        for (AblationVariant v : ALL) {
            if (v == AblationVariant.NONE) {
                continue;
            }
            int wins = 0;
            int both = 0;
            double[] gain = new double[3];
            List<String> lost = new ArrayList<>();
            for (var e : r.entrySet()) {
                VariantResult a = e.getValue().get(AblationVariant.NONE);
                VariantResult b = e.getValue().get(v);
                if (a == null || b == null) {
                    continue;
                }
                both++;
                double[] d = {b.scores().trR1() - a.scores().trR1(), b.scores().irR1() - a.scores().irR1(),
                        100 * (b.scores().cider() - a.scores().cider())};
                for (int i = 0; i < 3; i++) {
                    gain[i] += d[i];
                }
                if (d[0] > 0 && d[1] > 0 && d[2] > 0) {
                    wins++;
                } else {
                    lost.add(String.valueOf(e.getKey()));
                }
            }
            if (both == 0) {
                continue;
            }
            s.append(String.format(Locale.ROOT, "| %s | %s%d of %d%s%s | %+.1f / %+.1f / %+.1f |%n", v.label,
                    wins == both ? "**" : "", wins, both, wins == both ? "**" : "",
                    lost.isEmpty() ? "" : " (not on " + String.join(", ", lost) + ")", gain[0] / both,
                    gain[1] / both, gain[2] / both));
        }
        s.append('\n');
    }

    private static void stageTimes(StringBuilder s, Path out, List<Long> seeds) throws IOException {
        Map<String, List<Double>> t = new LinkedHashMap<>();
        for (long seed : seeds) {
            Ablation.stageTimes(out.resolve("seed-" + seed)).forEach((k, v) -> t.computeIfAbsent(k,
                    x -> new ArrayList<>()).add(v));
        }
        if (t.isEmpty()) {
            return;
        }
        s.append("### Stage times (seconds, one intra-op thread per process, as measured by the runs above)\n\n");
        s.append("| stage | mean | min | max | seeds |\n|---|---|---|---|---|\n");
        double total = 0;
        for (var e : t.entrySet()) {
            List<Double> v = e.getValue();
            double mean = v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            total += mean;
            s.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %d |%n", e.getKey(), mean,
                    v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN),
                    v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN), v.size()));
        }
        s.append(String.format(Locale.ROOT, "| **all stages (sum of means)** | %.0f (%.1f min) | | | |%n%n", total,
                total / 60));
    }

    private static List<VariantResult> results(Map<Long, Map<AblationVariant, VariantResult>> r,
            AblationVariant v) {
        return r.values().stream().map(m -> m.get(v)).filter(Objects::nonNull).toList();
    }

    /** "mean ± std" (sample std; the value alone for one seed), "—" where the figure is undefined. */
    static String meanStd(List<VariantResult> v, Function<VariantResult, Double> f, double scale, String unit) {
        double[] x = v.stream().map(f).filter(Objects::nonNull).mapToDouble(d -> scale * d).toArray();
        if (x.length == 0) {
            return "—";
        }
        double mean = java.util.Arrays.stream(x).average().orElse(Double.NaN);
        if (x.length == 1) {
            return String.format(Locale.ROOT, "%.1f%s", mean, unit);
        }
        double var = 0;
        for (double d : x) {
            var += (d - mean) * (d - mean);
        }
        return String.format(Locale.ROOT, "%.1f ± %.1f%s", mean, Math.sqrt(var / (x.length - 1)), unit);
    }

    private static CategoryChart chart(AblationVariant.Family f, Map<Long, Map<AblationVariant, VariantResult>> r) {
        CategoryChart c = new CategoryChartBuilder().width(800).height(420).title(f.title() + " (mean over seeds)")
                .yAxisTitle("score").build();
        List<String> metrics = List.of("TR@1", "IR@1", "BLEU-4", "CIDEr / 4");
        for (AblationVariant.Row row : f.rows()) {
            List<VariantResult> v = results(r, row.variant());
            if (v.isEmpty()) {
                continue;
            }
            List<Double> y = new ArrayList<>();
            for (Function<VariantResult, Double> m : List.<Function<VariantResult, Double>>of(x -> x.scores().trR1(),
                    x -> x.scores().irR1(), x -> 100 * x.scores().bleu4(), x -> 25 * x.scores().cider())) {
                y.add(v.stream().mapToDouble(m::apply).average().orElse(Double.NaN));
            }
            c.addSeries(row.name() + " (" + v.size() + ")", metrics, y);
        }
        if (c.getSeriesMap().isEmpty()) {
            c.addSeries("no results yet", metrics, List.of(0.0, 0.0, 0.0, 0.0));
        }
        return c;
    }

    /** The CPU model and core count (Linux /proc/cpuinfo), and the load average now. */
    static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the core count alone
        }
        String load = "";
        try {
            String[] l = Files.readString(Path.of("/proc/loadavg")).split(" ");
            load = ", load average " + l[0] + " " + l[1] + " " + l[2] + " when written";
        } catch (IOException | RuntimeException e) {
            // no load figure
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores" + load;
    }

    /** Replaces the marked section of {@code page} (appends it when the page has none), atomically. */
    static void replaceSection(Path page, String section) throws IOException {
        String text = Files.exists(page) ? Files.readString(page) : "";
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        String updated;
        if (b >= 0 && e > b) {
            int after = e + END.length();
            if (after < text.length() && text.charAt(after) == '\n') {
                after++;
            }
            updated = text.substring(0, b) + section + text.substring(after);
        } else {
            updated = text + (text.isEmpty() || text.endsWith("\n\n") ? "" : text.endsWith("\n") ? "\n" : "\n\n")
                    + section;
        }
        AtomicFiles.writeString(page, updated);
    }
}
