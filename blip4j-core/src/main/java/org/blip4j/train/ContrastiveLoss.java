package org.blip4j.train;

import ai.djl.ndarray.NDArray;
import org.blip4j.nn.Ops;

/**
 * ITC with momentum distillation (orig {@code models/blip_pretrain.py} {@code BLIP_Pretrain.forward}; paper §3.2), as
 * pure tensor functions.
 */
public final class ContrastiveLoss {
    private ContrastiveLoss() {
    }

    /** y = α·softmax(sim_m) + (1−α)·hard targets, row-wise. */
    public static NDArray softTargets(NDArray simMomentum, NDArray hardTargets, double alpha) {
        if (alpha == 0) {
            return hardTargets;
        }
        return Ops.mul(simMomentum.softmax(1), alpha).add(Ops.mul(hardTargets, 1 - alpha));
    }

    /** −mean_b Σ_j y[b,j]·log_softmax(sim)[b,j]. */
    public static NDArray softCrossEntropy(NDArray sim, NDArray targets) {
        return sim.logSoftmax(1).mul(targets).sum(new int[] {1}).neg().mean();
    }

    /**
     * Pre-training targets: ones on the diagonal of the first B columns (local batch), zeros on the queue.
     */
    public static NDArray diagonalTargets(ai.djl.ndarray.NDManager m, int batch, int total) {
        return m.eye(batch, total, 0, ai.djl.ndarray.types.DataType.FLOAT32);
    }

    /**
     * Retrieval fine-tuning targets (orig {@code models/blip_retrieval.py} {@code BLIP_Retrieval.forward}): positives
     * are every column whose image id equals the row's, normalised to sum 1. {@code idx} (B) against {@code idxAll}
     * (B+Q).
     */
    public static NDArray idTargets(NDArray idx, NDArray idxAll) {
        NDArray pos = idx.reshape(-1, 1).eq(idxAll.reshape(1, -1)).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
        return pos.div(pos.sum(new int[] {1}, true));
    }
}
