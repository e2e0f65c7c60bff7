package org.blip4j.train.nlvr;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** {@code F.cross_entropy(prediction, targets)} of {@code BLIP_NLVR.forward(train=True)}: mean, no smoothing. */
public final class NlvrLoss {
    private NlvrLoss() {
    }

    /** @param logits (B, 2) @param targets (B) int64 class ids (1 = "True") @return scalar mean loss */
    public static NDArray crossEntropy(NDArray logits, NDArray targets) {
        NDArray logProbs = logits.logSoftmax(-1);
        NDArray picked = logProbs.gather(targets.toType(DataType.INT64, false).reshape(-1, 1), 1);
        return picked.mean().neg();
    }
}
