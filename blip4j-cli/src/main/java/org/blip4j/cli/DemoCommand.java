package org.blip4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.blip4j.capfilt.CapfiltPipeline;
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

    @Override
    public Integer call() throws Exception {
        Engines.configure(threads);
        DemoOptions o = (quick ? DemoOptions.quick(out) : DemoOptions.full(out)).withSeed(seed);
        TrainingRun.Listener training = new TrainingRun.Listener();
        DemoListener listener = new DemoListener() {
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
        if (seeds != null && !seeds.isEmpty()) {
            org.blip4j.demo.DemoExperiment.run(o, seeds, summary, listener);
            training.close();
            System.out.println("summary: " + summary);
            return 0;
        }
        DemoReport r = Demo.run(o, listener);
        training.close();
        System.out.printf("%-12s TR@1 %5.1f  IR@1 %5.1f  BLEU-4 %5.1f  CIDEr %5.1f%n", r.noCapfilt().name(),
                r.noCapfilt().trR1(), r.noCapfilt().irR1(), 100 * r.noCapfilt().bleu4(), 100 * r.noCapfilt().cider());
        System.out.printf("%-12s TR@1 %5.1f  IR@1 %5.1f  BLEU-4 %5.1f  CIDEr %5.1f%n", r.capfilt().name(),
                r.capfilt().trR1(), r.capfilt().irR1(), 100 * r.capfilt().bleu4(), 100 * r.capfilt().cider());
        if (r.filtering().noise() != null) {
            System.out.printf("filter: removed %.1f%% of corrupted web texts, kept %.1f%% of correct ones%n",
                    100 * r.filtering().noise().recall(),
                    100 * r.filtering().noise().cleanKeptFraction());
        }
        System.out.println("report: " + r.markdown());
        return 0;
    }
}
