package org.blip4j.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.blip4j.demo.AblationExperiment;
import org.blip4j.demo.AblationScale;
import org.blip4j.demo.AblationSummary;
import org.blip4j.demo.DemoListener;
import org.blip4j.demo.DemoOptions;
import org.blip4j.engine.Engines;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The CapFilt ablation of issue 19 on the synthetic world, several seeds, summarised into docs/CAPFILT.md. */
@Command(name = "ablate", mixinStandardHelpOptions = true,
        description = "The paper's CapFilt ablations (Table 1: filter only / captioner only / both; Table 2: nucleus "
                + "vs beam; Table 4: shared vs decoupled) and the proposals beyond it (K = 1, 3, 5 captions, 2 + 2 "
                + "ensemble, rounds 1-3) on the synthetic world: each variant's data pre-trains a fresh model, "
                + "evaluated zero-shot. OUT/seed-N per seed; mean ± std tables and plots replace the marked section "
                + "of --summary. Rerun the same command to resume.")
public final class AblateCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "runs/ablation", description = "output directory (default: "
            + "${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seeds", split = ",", defaultValue = "42,43,44", description = "seeds (default: "
            + "${DEFAULT-VALUE})")
    List<Long> seeds;

    @Option(names = "--summary", defaultValue = "docs/CAPFILT.md", description = "page whose ablation section is "
            + "written (default: ${DEFAULT-VALUE}); 'none' for no page")
    String summary;

    @Option(names = "--scale", defaultValue = "demo", description = "sizes: demo (the demo's, ~11× its pre-training "
            + "time per seed), reduced (fewer pre-training, image-encoder and filter steps), quick (tests); "
            + "default ${DEFAULT-VALUE}")
    AblationScale scale;

    @Option(names = "--quick", description = "same as --scale quick")
    boolean quick;

    @Option(names = "--pretrain-steps", description = "override the scale's steps of each pre-training")
    Integer pretrainSteps;

    @Option(names = "--jobs", defaultValue = "1", description = "seeds run side by side, each in its own JVM "
            + "(default ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--run-seeds", split = ",", hidden = true, description = "the seeds this process runs (the "
            + "others' results are read for the summary); set by --jobs")
    List<Long> runSeeds;

    @Option(names = "--threads", defaultValue = "1", description = "intra-op threads per process (default: "
            + "${DEFAULT-VALUE})")
    int threads;

    @Option(names = {"-v", "--verbose"}, description = "show engine logging")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (jobs < 1) {
            throw new IllegalArgumentException("--jobs must be >= 1, got " + jobs);
        }
        if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("--seeds must name distinct seeds, got " + seeds);
        }
        AblationScale sc = quick ? AblationScale.QUICK : scale;
        DemoOptions o = sc.options(out);
        String scaleText = sc.description;
        if (pretrainSteps != null) {
            if (pretrainSteps < 1) {
                throw new IllegalArgumentException("--pretrain-steps must be >= 1, got " + pretrainSteps);
            }
            o = o.withSteps(pretrainSteps, o.captionerSteps(), o.filterSteps());
            scaleText += ", pre-training steps set to " + pretrainSteps;
        }
        Path page = "none".equals(summary) ? null : Path.of(summary);
        String command = command(sc);
        if (jobs > 1 && runSeeds == null && seeds.size() > 1) {
            return runChildren(sc);
        }
        Engines.configure(threads);
        TrainingRun.Listener training = new TrainingRun.Listener();
        DemoListener listener = DemoCommand.listener(training);
        AblationExperiment.run(o, seeds, runSeeds == null ? seeds : runSeeds, page, command, scaleText, listener);
        training.close();
        System.out.println("results: " + out + "/seed-N/variants/*/result.json" + (page == null ? ""
                : "; summary: " + page));
        return 0;
    }

    /** The command as a user would type it (for the page). */
    private String command(AblationScale sc) {
        StringBuilder s = new StringBuilder("./blip ablate --seeds ");
        s.append(String.join(",", seeds.stream().map(String::valueOf).toList())).append(" --scale ")
                .append(sc.name().toLowerCase(java.util.Locale.ROOT));
        if (pretrainSteps != null) {
            s.append(" --pretrain-steps ").append(pretrainSteps);
        }
        if (jobs > 1) {
            s.append(" --jobs ").append(jobs);
        }
        return s.append(" --out ").append(out).append(" --summary ").append(summary).toString();
    }

    /**
     * {@code jobs} JVMs, seeds dealt round-robin, output interleaved on this process's streams (every stage line
     * names its seed); then this process writes the summary of all of them.
     */
    private int runChildren(AblationScale sc) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Process> children = new ArrayList<>();
        int n = Math.min(jobs, seeds.size());
        for (int j = 0; j < n; j++) {
            List<String> mine = new ArrayList<>();
            for (int i = j; i < seeds.size(); i += n) {
                mine.add(String.valueOf(seeds.get(i)));
            }
            List<String> cmd = new ArrayList<>(List.of(java));
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "ablate",
                    "--out", out.toString(), "--seeds", String.join(",", seeds.stream().map(String::valueOf)
                            .toList()), "--run-seeds", String.join(",", mine), "--summary", summary, "--scale",
                    sc.name(), "--threads", String.valueOf(threads), "--jobs", String.valueOf(jobs)));
            if (pretrainSteps != null) {
                cmd.addAll(List.of("--pretrain-steps", String.valueOf(pretrainSteps)));
            }
            System.err.println("ablate: seeds " + mine + " in process " + (j + 1) + " of " + n);
            children.add(new ProcessBuilder(cmd).inheritIO().start());
        }
        int rc = 0;
        for (Process p : children) {
            rc = Math.max(rc, p.waitFor());
        }
        if (rc != 0) {
            System.err.println("ablate: a seed process failed (exit " + rc + "); rerun the same command to resume");
            return rc;
        }
        // every seed is done: this pass only reads the results and writes the summary
        runSeeds = List.of();
        Path page = "none".equals(summary) ? null : Path.of(summary);
        if (page != null) {
            DemoOptions o = sc.options(out);
            if (pretrainSteps != null) {
                o = o.withSteps(pretrainSteps, o.captionerSteps(), o.filterSteps());
            }
            AblationSummary.writeLocked(page, out, o, seeds, command(sc), sc.description + (pretrainSteps == null ? ""
                    : ", pre-training steps set to " + pretrainSteps));
            System.out.println("summary: " + page);
        }
        return 0;
    }
}
