package org.blip4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.blip4j.demo.Demo;
import org.blip4j.demo.DemoOptions;
import org.blip4j.demo.DemoReport;
import org.blip4j.engine.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Multi-round dataset bootstrapping on the synthetic world (beyond the paper; docs/CAPFILT.md): the demo's pipeline
 * with CapFilt repeated, each round's models pre-trained on the previous round's bootstrapped data.
 */
@Command(name = "bootstrap", mixinStandardHelpOptions = true,
        description = "Rounds of CapFilt on the synthetic world: round r pre-trains a fresh model on round r-1's "
                + "bootstrapped data + human pairs, fine-tunes a captioner and a filter on the human pairs, CapFilts "
                + "the original web texts into OUT/round-r/bootstrapped.json; report.md shows every round. Rerun the "
                + "same command to resume.")
public final class BootstrapCommand implements Callable<Integer> {
    @Option(names = "--rounds", defaultValue = "2", description = "rounds of bootstrapping (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--out", defaultValue = "runs/bootstrap", description = "output directory (default: "
            + "${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--quick", description = "the demo's small, fast sizes (used by the tests)")
    boolean quick;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--threads", defaultValue = "1", description = "intra-op threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = {"-v", "--verbose"}, description = "show engine logging")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
        }
        Engines.configure(threads);
        DemoOptions o = (quick ? DemoOptions.quick(out) : DemoOptions.full(out)).withSeed(seed);
        TrainingRun.Listener training = new TrainingRun.Listener();
        DemoReport r = Demo.run(o, rounds, DemoCommand.listener(training));
        training.close();
        DemoCommand.print(r);
        return 0;
    }
}
