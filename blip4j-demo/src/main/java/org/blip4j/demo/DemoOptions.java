package org.blip4j.demo;

import java.nio.file.Path;

/**
 * Sizes of the CapFilt demo. {@link #full} fits the README's main job (≤ 15 minutes on 2 CPU cores);
 * {@link #quick} is a minute-scale smoke run for tests.
 *
 * @param webSize web images (noisy texts); @param humanSize clean, human-style images; @param humanCaptions captions
 * per human image (COCO has 5); @param testSize test images
 * @param pretrainSteps optimiser steps of each pre-training; @param captionerSteps / @param filterSteps fine-tuning
 * @param batch training batch; @param kTest retrieval re-ranking depth
 * @param visionSize labelled images for pre-training the image encoder; @param visionSteps its optimiser steps
 */
public record DemoOptions(Path out, long seed, int webSize, int humanSize, int humanCaptions, int testSize,
        double noise, int pretrainSteps, int captionerSteps, int filterSteps, int batch, int kTest, int threads,
        int visionSize, int visionSteps) {

    public static DemoOptions full(Path out) {
        return new DemoOptions(out, 42, 20000, 5000, 5, 200, 0.4, 2500, 500, 1600, 16, 32, 1, 20000, 6000);
    }

    public static DemoOptions quick(Path out) {
        return new DemoOptions(out, 42, 60, 30, 5, 20, 0.4, 30, 10, 10, 8, 8, 1, 60, 20);
    }

    public DemoOptions withSeed(long s) {
        return new DemoOptions(out, s, webSize, humanSize, humanCaptions, testSize, noise, pretrainSteps,
                captionerSteps, filterSteps, batch, kTest, threads, visionSize, visionSteps);
    }

    public DemoOptions withOut(Path o) {
        return new DemoOptions(o, seed, webSize, humanSize, humanCaptions, testSize, noise, pretrainSteps,
                captionerSteps, filterSteps, batch, kTest, threads, visionSize, visionSteps);
    }

    public DemoOptions withSteps(int pretrain, int captioner, int filter) {
        return new DemoOptions(out, seed, webSize, humanSize, humanCaptions, testSize, noise, pretrain, captioner,
                filter, batch, kTest, threads, visionSize, visionSteps);
    }
}
