package org.blip4j.train.vision;

/**
 * Settings of {@link VisionPretrainer}.
 *
 * @param modelConfig preset whose image encoder is trained ({@code base}, {@code large}, {@code tiny}) or an HF
 *                    {@code config.json} file
 * @param imageSize   input side in pixels
 * @param steps       optimiser steps; @param batch images per step
 * @param lr          peak learning rate (linear warm-up over {@code warmupSteps}, then cosine to 0)
 * @param weightDecay AdamW weight decay; @param heldOut last images of the file kept out of training and scored
 * @param seed        initialisation and sampling seed
 */
public record VisionPretrainOptions(String modelConfig, int imageSize, int steps, int batch, double lr,
        int warmupSteps, double weightDecay, int heldOut, long seed) {
    public VisionPretrainOptions {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("steps and batch must be >= 1, got " + steps + " and " + batch);
        }
        if (!(lr > 0) || warmupSteps < 0 || weightDecay < 0 || heldOut < 0) {
            throw new IllegalArgumentException("lr must be > 0 and warm-up, weight decay, held-out >= 0");
        }
    }

    public static VisionPretrainOptions defaults() {
        return new VisionPretrainOptions("base", 224, 10_000, 64, 1e-3, 500, 0.05, 1000, 42);
    }

    public VisionPretrainOptions withModel(String config, int size) {
        return new VisionPretrainOptions(config, size, steps, batch, lr, warmupSteps, weightDecay, heldOut, seed);
    }

    public VisionPretrainOptions withSteps(int n, int b) {
        return new VisionPretrainOptions(modelConfig, imageSize, n, b, lr, warmupSteps, weightDecay, heldOut, seed);
    }

    public VisionPretrainOptions withLr(double peak, int warmup) {
        return new VisionPretrainOptions(modelConfig, imageSize, steps, batch, peak, warmup, weightDecay, heldOut,
                seed);
    }

    public VisionPretrainOptions withHeldOut(int n) {
        return new VisionPretrainOptions(modelConfig, imageSize, steps, batch, lr, warmupSteps, weightDecay, n, seed);
    }

    public VisionPretrainOptions withSeed(long s) {
        return new VisionPretrainOptions(modelConfig, imageSize, steps, batch, lr, warmupSteps, weightDecay, heldOut,
                s);
    }
}
