package org.blip4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.blip4j.capfilt.CapfiltPipeline;
import org.blip4j.demo.BootstrapRound;
import org.blip4j.demo.Demo;
import org.blip4j.demo.DemoListener;
import org.blip4j.demo.DemoOptions;
import org.blip4j.demo.DemoReport;
import org.blip4j.engine.Engines;
import org.blip4j.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The README's main job: the BLIP/CapFilt story in miniature on the synthetic world. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Synthetic world → pre-train → captioner + filter → CapFilt → pre-train again → evaluate → "
                + "report.md (about 14 minutes on 2 cores; --quick: about a minute).")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "runs/demo", description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--quick", description = "a small, fast run (used by the tests)")
    boolean quick;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--threads", defaultValue = "1",
            description = "intra-op threads (default: ${DEFAULT-VALUE}; the demo's model is too small to gain from more)")
    int threads;

    @Option(names = {"-v", "--verbose"}, description = "show engine logging")
    boolean verbose;

    @Option(names = "--seeds", split = ",", description = "the full experiment: run each seed into OUT/seed-N and "
            + "write a mean ± std summary (see --summary)")
    java.util.List<Long> seeds;

    @Option(names = "--summary", defaultValue = "docs/CAPFILT.md", description = "summary of --seeds runs")
    Path summary;

    @Option(names = "--rounds", defaultValue = "1", description = "rounds of bootstrapping (default 1, the paper's); "
            + "with N > 1 round r writes OUT/round-r/bootstrapped.json and the report a table per round")
    int rounds;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        }
        if (rounds > 1 && seeds != null && !seeds.isEmpty()) {
            throw new IllegalArgumentException("--rounds with --seeds is not supported yet");
        }
        Engines.configure(threads);
        DemoOptions o = (quick ? DemoOptions.quick(out) : DemoOptions.full(out)).withSeed(seed);
        TrainingRun.Listener training = new TrainingRun.Listener();
        DemoListener listener = listener(training);
        if (seeds != null && !seeds.isEmpty()) {
            org.blip4j.demo.DemoExperiment.run(o, seeds, summary, listener);
            training.close();
            System.out.println("summary: " + summary);
            return 0;
        }
        DemoReport r = Demo.run(o, rounds, listener);
        training.close();
        print(r);
        return 0;
    }

    /** Stage lines and progress bars on stderr. */
    static DemoListener listener(TrainingRun.Listener training) {
        return new DemoListener() {
            @Override
            public void stage(int index, int total, String name) {
                training.close();
                System.err.printf("[%d/%d] %s%n", index, total, name);
            }

            @Override
            public void message(String message) {
                System.err.println("  " + message);
            }

            @Override
            public TrainingListener training() {
                return training;
            }

            @Override
            public CapfiltPipeline.Listener capfilt() {
                return new CapfiltCommand.ProgressListener();
            }
        };
    }

    /** The scores on stdout: both models, every round when there are several, the filter, the report's path. */
    static void print(DemoReport r) {
        System.out.printf("%-12s TR@1 %5.1f  IR@1 %5.1f  BLEU-4 %5.1f  CIDEr %5.1f%n", r.noCapfilt().name(),
                r.noCapfilt().trR1(), r.noCapfilt().irR1(), 100 * r.noCapfilt().bleu4(), 100 * r.noCapfilt().cider());
        System.out.printf("%-12s TR@1 %5.1f  IR@1 %5.1f  BLEU-4 %5.1f  CIDEr %5.1f%n", r.capfilt().name(),
                r.capfilt().trR1(), r.capfilt().irR1(), 100 * r.capfilt().bleu4(), 100 * r.capfilt().cider());
        if (r.filtering().noise() != null) {
            System.out.printf("filter: removed %.1f%% of corrupted web texts, kept %.1f%% of correct ones%n",
                    100 * r.filtering().noise().recall(),
                    100 * r.filtering().noise().cleanKeptFraction());
        }
        if (r.rounds().size() > 1) {
            for (BootstrapRound b : r.rounds()) {
                var n = b.filtering().noise();
                System.out.printf("round %d: filter precision %s recall %s; TR@1 %5.1f  IR@1 %5.1f  BLEU-4 %5.1f  "
                        + "CIDEr %5.1f%n", b.round(), n == null ? "n/a" : pct(n.precision()),
                        n == null ? "n/a" : pct(n.recall()), b.scores().trR1(), b.scores().irR1(),
                        100 * b.scores().bleu4(), 100 * b.scores().cider());
            }
        }
        System.out.println("report: " + r.markdown());
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * v);
    }
}
