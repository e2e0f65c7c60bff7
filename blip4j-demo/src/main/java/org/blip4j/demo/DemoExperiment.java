package org.blip4j.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.blip4j.util.AtomicFiles;

/**
 * The full CapFilt experiment: the demo over several seeds, summarised as mean ± std (sample standard deviation)
 * of each metric for both pre-training datasets, plus the filter's quality.
 */
public final class DemoExperiment {
    private DemoExperiment() {
    }

    public static List<DemoReport> run(DemoOptions base, List<Long> seeds, Path summary, DemoListener listener)
            throws IOException {
        List<DemoReport> reports = new ArrayList<>();
        for (long seed : seeds) {
            listener.message("seed " + seed);
            reports.add(Demo.run(base.withSeed(seed).withOut(base.out().resolve("seed-" + seed)), listener));
            write(summary, base, seeds, reports);
        }
        return reports;
    }

    static void write(Path md, DemoOptions o, List<Long> seeds, List<DemoReport> r) throws IOException {
        StringBuilder s = new StringBuilder("# CapFilt on the synthetic world: the full experiment\n\n");
        s.append(String.format(Locale.ROOT, "Seeds %s (%d of %d done). World: %d web images (%.0f%% corrupted "
                + "texts), %d human (%d captions each), %d test; `shapes` model; %d pre-training steps of batch %d "
                + "per model. Zero-shot test scores, mean ± std over seeds.%n%n", seeds, r.size(), seeds.size(),
                o.webSize(), 100 * o.noise(), o.humanSize(), o.humanCaptions(), o.testSize(), o.pretrainSteps(),
                o.batch()));
        s.append("| pre-training data | TR@1 | IR@1 | BLEU-4 | CIDEr |\n|---|---|---|---|---|\n");
        row(s, "no CapFilt (web + human)", r, DemoReport::noCapfilt);
        row(s, "CapFilt (bootstrapped + human)", r, DemoReport::capfilt);
        s.append("\n| filter (per seed) | corrupted removed | correct kept | kept-web noise rate | synthetic removed |\n"
                + "|---|---|---|---|---|\n");
        for (int i = 0; i < r.size(); i++) {
            var f = r.get(i).filtering();
            var n = f.noise();
            s.append(String.format(Locale.ROOT, "| seed %d | %.1f%% | %.1f%% | %.1f%% (input %.1f%%) | %.1f%% |%n",
                    seeds.get(i), 100 * n.recall(), 100 * n.cleanKeptFraction(),
                    100 * n.keptNoiseRate(), 100 * n.inputNoiseRate(), 100 * f.syntheticNoiseRatio()));
        }
        s.append("\nPer-seed reports: `").append(o.out()).append("/seed-N/report.md`.\n");
        AtomicFiles.writeString(md, s.toString());
    }

    private static void row(StringBuilder s, String name, List<DemoReport> r,
            java.util.function.Function<DemoReport, ModelScores> pick) {
        s.append("| ").append(name);
        List<ToDoubleFunction<ModelScores>> metrics = List.of(ModelScores::trR1, ModelScores::irR1,
                m -> 100 * m.bleu4(), m -> 100 * m.cider());
        for (ToDoubleFunction<ModelScores> f : metrics) {
            double[] v = r.stream().map(pick).mapToDouble(f).toArray();
            double mean = java.util.Arrays.stream(v).average().orElse(Double.NaN);
            double var = 0;
            for (double x : v) {
                var += (x - mean) * (x - mean);
            }
            double std = v.length > 1 ? Math.sqrt(var / (v.length - 1)) : 0;
            s.append(String.format(Locale.ROOT, " | %.1f ± %.1f", mean, std));
        }
        s.append(" |\n");
    }
}
