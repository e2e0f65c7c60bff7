package org.blip4j.demo;

import java.nio.file.Path;

/**
 * Sizes of the ablation ({@code blip ablate --scale}). Each variant costs one pre-training, which dominates, so the
 * experiment (11 pre-trainings and 7 CapFilt runs a seed) takes over an hour per seed at the demo's sizes on one core.
 */
public enum AblationScale {
    /** The demo's sizes and step counts ({@link DemoOptions#full}): the none and cf variants run the demo's stages. */
    DEMO("the demo's (nothing reduced)"),
    /**
     * About 30 minutes of one idle core per seed instead of about 75 (estimated from the demo's stage times): half
     * the web split and the labelled images, fewer steps where the time goes (each of the 11 pre-trainings, the
     * image encoder, the filters); the human split, test split, captioner and batch are the demo's.
     */
    REDUCED("reduced: 10,000 web images (demo 20,000), 10,000 labelled images (demo 20,000); steps: image encoder "
            + "3,000 (demo 6,000), each pre-training 800 (demo 2,500), filter 800 (demo 1,600); human split (5,000 "
            + "images), test split, captioner (500 steps) and batch 16 as the demo's"),
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
                yield new DemoOptions(out, f.seed(), 10000, f.humanSize(), f.humanCaptions(), f.testSize(),
                        f.noise(), 800, f.captionerSteps(), 800, f.batch(), f.kTest(), f.threads(), 10000, 3000);
            }
            case QUICK -> DemoOptions.quick(out);
        };
    }
}
