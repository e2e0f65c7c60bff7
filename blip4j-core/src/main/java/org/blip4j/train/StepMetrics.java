package org.blip4j.train;

import java.util.Map;

/** What one optimiser step reports: losses by name, learning rate, throughput, memory. */
public record StepMetrics(long step, int epoch, double lr, Map<String, Double> losses, double samplesPerSecond,
        double rssMiB, double gradNorm) {
    public double totalLoss() {
        return losses.getOrDefault("loss", losses.values().stream().mapToDouble(Double::doubleValue).sum());
    }
}
