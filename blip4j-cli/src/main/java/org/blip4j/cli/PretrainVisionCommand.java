package org.blip4j.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.blip4j.engine.Engines;
import org.blip4j.train.vision.VisionPretrainOptions;
import org.blip4j.train.vision.VisionPretrainResult;
import org.blip4j.train.vision.VisionPretrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Supervised image-encoder pre-training (the ImageNet stage) → a model for {@code init_vision_from}. */
@Command(name = "pretrain-vision", mixinStandardHelpOptions = true,
        description = "Pre-train the image encoder alone on labelled images (the role ImageNet plays for BLIP); "
                + "then: blip pretrain --set init_vision_from=OUT/model.")
public final class PretrainVisionCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "LABELS_JSON",
            description = "labelled images (e.g. the vision_labels.json of blip synth --vision-size N)")
    Path data;

    @Option(names = "--images", paramLabel = "ROOT", description = "image root (default: the labels file's folder)")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "run directory")
    Path out;

    @Option(names = "--model-config", defaultValue = "base",
            description = "preset whose image encoder is trained: base, large, tiny, shapes (default ${DEFAULT-VALUE})")
    String modelConfig;

    @Option(names = "--image-size", defaultValue = "224", paramLabel = "PX", description = "default ${DEFAULT-VALUE}")
    int imageSize;

    @Option(names = "--steps", defaultValue = "10000", description = "optimiser steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--batch", defaultValue = "64", description = "images per step (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "peak learning rate, cosine decay (default "
            + "${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--warmup", defaultValue = "500", description = "warm-up steps (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--held-out", defaultValue = "1000", paramLabel = "N",
            description = "last N images scored, never trained on (default ${DEFAULT-VALUE}; at most a fifth)")
    int heldOut;

    @Option(names = "--seed", defaultValue = "42", description = "default ${DEFAULT-VALUE}")
    long seed;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        var device = engine.start();
        VisionPretrainOptions o = VisionPretrainOptions.defaults().withModel(modelConfig, imageSize)
                .withSteps(steps, batch).withLr(lr, warmup).withHeldOut(heldOut).withSeed(seed);
        Path root = images != null ? images : data.toAbsolutePath().getParent();
        TrainingRun.Listener listener = new TrainingRun.Listener();
        try (NDManager m = Engines.newManager(device)) {
            VisionPretrainResult r = VisionPretrainer.run(o, data, root, out, m, listener);
            listener.close();
            System.err.printf("done in %.0f s: image encoder in %s; held-out accuracy %s; %d unreadable images "
                    + "skipped%n", r.seconds(), r.model(), r.heldOutAccuracy(), r.skippedImages());
        } finally {
            listener.close();
        }
        return 0;
    }
}
