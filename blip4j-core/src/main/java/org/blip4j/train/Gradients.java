package org.blip4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.List;
import org.blip4j.nn.Parameter;

/** Gradient housekeeping: global-norm clipping (torch clip_grad_norm_), clearing, enabling. */
public final class Gradients {
    private Gradients() {
    }

    /**
     * Makes every parameter a leaf that collects gradients, in memory libtorch owns. An array DJL built from Java
     * data (a loaded checkpoint, {@code manager.create(float[])}) wraps a direct buffer that only that DJL handle
     * keeps alive; {@link #clear}'s new handles on the same storage would not, and once the old handle is closed
     * the collector frees the buffer under them. So each such array is copied once, here, before training.
     */
    public static void enable(List<Parameter> params) {
        NoGrad.run(() -> {
            for (Parameter p : params) {
                NDArray owned = p.array().duplicate();
                NDScope.unregister(owned);
                p.set(owned);
            }
        });
        for (Parameter p : params) {
            p.array().setRequiresGradient(true);
        }
    }

    /** L2 norm over all gradients together. */
    public static double globalNorm(List<Parameter> params) {
        return NoGrad.run(() -> {
            double sq = 0;
            for (Parameter p : params) {
                try (NDArray g = p.array().getGradient(); NDArray s = g.square().sum()) {
                    sq += s.getFloat();
                }
            }
            return Math.sqrt(sq);
        });
    }

    /**
     * Scales all gradients so that their global norm is at most {@code maxNorm} (DJL's own clipping is
     * element-wise and one-sided). Returns the norm before clipping.
     */
    public static double clipGlobalNorm(List<Parameter> params, double maxNorm) {
        double norm = globalNorm(params);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            NoGrad.run(() -> {
                for (Parameter p : params) {
                    try (NDArray g = p.array().getGradient()) {
                        g.muli(coef);
                    }
                }
            });
        }
        return norm;
    }

    /**
     * Drops every parameter's gradient, as torch's {@code zero_grad(set_to_none=True)}: the next backward writes
     * fresh gradients instead of adding them to zero-filled ones (one pass over 1 GB fewer per pre-training step,
     * and no fill), and their memory is free for the forward until then. Each parameter gets a new leaf handle on
     * the same storage ({@code detach}); a parameter no backward reaches still reads as a zero gradient. The
     * parameters must have gone through {@link #enable}, which puts their storage in libtorch's hands.
     */
    public static void clear(List<Parameter> params) {
        for (Parameter p : params) {
            NDArray fresh = p.array().stopGradient();
            NDScope.unregister(fresh);
            fresh.setRequiresGradient(true);
            p.set(fresh);
        }
    }
}
