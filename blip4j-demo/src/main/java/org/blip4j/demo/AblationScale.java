package org.blip4j.demo;

import java.nio.file.Path;

/**
 * Sizes of the ablation ({@code blip ablate --scale}). Each variant costs one pre-training, which dominates, so the
 * experiment (11 pre-trainings a seed) is several hours at the demo's sizes on 2 cores.
 */
public enum AblationScale {
    /** The demo's sizes and step counts ({@link DemoOptions#full}); the cf variant of seed 42 is the demo's CapFilt. */
    DEMO("the demo's (nothing reduced)"),
    /**
     * The demo's world and fine-tunes; fewer steps where the time goes: image encoder 3,000 (demo 6,000),
     * each pre-training 1,000 (demo 2,500), filter 800 (demo 1,600).
     */
    REDUCED("reduced: the demo's world and captioner, fewer steps: image encoder 3,000 (demo 6,000), each "
            + "pre-training 1,000 (demo 2,500), filter 800 (demo 1,600)"),
    /** {@link DemoOptions#quick}: a minute-scale smoke run. */
    QUICK("quick (the demo's --quick sizes: a smoke run, the scores mean nothing)");

    public final String description;

    AblationScale(String description) {
        this.description = description;
    }

    public DemoOptions options(Path out) {
        return switch (this) {
            case DEMO -> DemoOptions.full(out);
            case REDUCED -> {
                DemoOptions f = DemoOptions.full(out);
                yield new DemoOptions(out, f.seed(), f.webSize(), f.humanSize(), f.humanCaptions(), f.testSize(),
                        f.noise(), 1000, f.captionerSteps(), 800, f.batch(), f.kTest(), f.threads(), f.visionSize(),
                        3000);
            }
            case QUICK -> DemoOptions.quick(out);
        };
    }
}
