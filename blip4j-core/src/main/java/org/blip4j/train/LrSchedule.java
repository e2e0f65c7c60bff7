package org.blip4j.train;

/**
 * Learning rate as a function of training progress (orig {@code utils.py}: {@code cosine_lr_schedule},
 * {@code step_lr_schedule}, {@code warmup_lr_schedule}).
 */
@FunctionalInterface
public interface LrSchedule {
    double lr(int epoch, long globalStep, long stepsPerEpoch);

    /** Pre-training: step decay per epoch, lr = max(min, init·rate^epoch), with linear warm-up during epoch 0. */
    static LrSchedule stepDecayWithWarmup(double init, double min, double rate, double warmupLr, long warmupSteps) {
        return (epoch, step, perEpoch) -> {
            if (epoch == 0 && warmupSteps > 0 && step < warmupSteps) {
                return Math.min(init, warmupLr + (init - warmupLr) * step / warmupSteps);
            }
            return Math.max(min, init * Math.pow(rate, epoch));
        };
    }

    /** Fine-tuning: cosine per epoch, no warm-up; constant within an epoch. */
    static LrSchedule cosinePerEpoch(double init, double min, int maxEpoch) {
        return (epoch, step, perEpoch) -> min + (init - min) * 0.5 * (1 + Math.cos(Math.PI * epoch / maxEpoch));
    }

    /** Option: per-step cosine after a linear warm-up. */
    static LrSchedule cosinePerStep(double init, double min, long warmupSteps, long totalSteps) {
        return (epoch, step, perEpoch) -> {
            if (step < warmupSteps) {
                return init * (step + 1) / warmupSteps;
            }
            double t = (double) (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
            return min + (init - min) * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, t)));
        };
    }
}
