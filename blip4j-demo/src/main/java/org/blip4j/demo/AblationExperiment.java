package org.blip4j.demo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The ablation over several seeds ({@code OUT/seed-N}), the summary section rewritten after every finished variant
 * and every seed. {@code runSeeds} may be a subset of {@code seeds} (another process runs the rest): the summary
 * always covers every seed of the experiment that has results on disk.
 */
public final class AblationExperiment {
    private AblationExperiment() {
    }

    /**
     * @param summary the Markdown page whose ablation section is written; null for none
     * @param command the command line, for the page; @param scale the sizes in words, for the page
     */
    public static void run(DemoOptions base, List<Long> seeds, List<Long> runSeeds, Path summary, String command,
            String scale, DemoListener listener) throws IOException {
        for (long seed : runSeeds) {
            if (!seeds.contains(seed)) {
                throw new IllegalArgumentException("seed " + seed + " is not one of the experiment's seeds " + seeds);
            }
        }
        Ablation.VariantListener write = r -> {
            if (summary == null) {
                return;
            }
            try {
                AblationSummary.writeLocked(summary, base.out(), base, seeds, command, scale);
            } catch (IOException | RuntimeException e) { // the results are on disk: a rerun writes the page
                listener.message("could not write the summary " + summary + ": " + e);
            }
        };
        for (long seed : runSeeds) {
            listener.message("seed " + seed);
            Ablation.run(base.withSeed(seed).withOut(base.out().resolve("seed-" + seed)), listener, write);
            write.finished(null);
        }
    }
}
