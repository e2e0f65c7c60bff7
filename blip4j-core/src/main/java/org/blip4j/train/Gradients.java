package org.blip4j.train;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.blip4j.nn.Parameter;

/** Gradient housekeeping: global-norm clipping (torch clip_grad_norm_), zeroing, enabling. */
public final class Gradients {
    private Gradients() {
    }

    public static void enable(List<Parameter> params) {
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

    public static void zero(List<Parameter> params) {
        NoGrad.run(() -> {
            for (Parameter p : params) {
                try (NDArray g = p.array().getGradient()) {
                    g.muli(0);
                }
            }
        });
    }
}
