package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.blip4j.nn.Ops;

/**
 * Next-token cross-entropy with label smoothing as {@code BertLMHeadModel.forward} computes it: logits[:, :-1]
 * against labels[:, 1:], ignore index −100, per token (1−ε)(−log p_y) + ε·mean_k(−log p_k).
 */
public final class LmLoss {
    public static final long IGNORE = -100;

    private LmLoss() {
    }

    /** Per-token losses (B, L−1), zero where ignored, and the mask of counted tokens (B, L−1). */
    public static NDArray[] perToken(NDArray logits, NDArray labels, double smoothing) {
        return perTokenOfPrefix(prefix(logits), labels, smoothing);
    }

    /**
     * All positions but the last, (B, L, …) → (B, L−1, …); null stays null. On the decoder's input (ids, mask):
     * training needs no logits at the last position, since under the causal mask no other position attends to it
     * and its prediction has no label. Feeding the prefix and scoring it with {@link #meanOfPrefix} gives
     * {@link #mean}'s loss for 1/L less work.
     */
    public static NDArray prefix(NDArray x) {
        return x == null ? null : x.get(":, :{}", x.getShape().get(1) - 1);
    }

    /** {@link #mean} for logits (B, L−1, V) computed from {@link #prefix} inputs; labels stay (B, L). */
    public static NDArray meanOfPrefix(NDArray prefixLogits, NDArray labels, double smoothing) {
        NDArray[] t = perTokenOfPrefix(prefixLogits, labels, smoothing);
        return t[0].sum().div(t[1].sum().maximum(1f));
    }

    private static NDArray[] perTokenOfPrefix(NDArray shifted, NDArray labels, double smoothing) {
        NDArray targets = labels.get(":, 1:").toType(DataType.INT64, false);
        NDArray valid = targets.neq(IGNORE);
        NDArray safeTargets = targets.mul(valid.toType(DataType.INT64, false));
        NDArray logp = shifted.logSoftmax(-1);
        NDArray nll = logp.gather(safeTargets.expandDims(-1), -1).squeeze(-1).neg();
        NDArray loss = nll;
        if (smoothing > 0) {
            NDArray uniform = logp.mean(new int[] {-1}).neg();
            loss = Ops.mul(nll, 1 - smoothing).add(Ops.mul(uniform, smoothing));
        }
        NDArray maskF = valid.toType(DataType.FLOAT32, false);
        return new NDArray[] {loss.mul(maskF), maskF};
    }

    /** Mean over non-ignored tokens (reduction='mean'). */
    public static NDArray mean(NDArray logits, NDArray labels, double smoothing) {
        return meanOfPrefix(prefix(logits), labels, smoothing);
    }

    /** Summed loss per sequence (reduction='none' then sum over positions, as VQA uses) → (B). */
    public static NDArray perSequence(NDArray logits, NDArray labels, double smoothing) {
        return perToken(logits, labels, smoothing)[0].sum(new int[] {1});
    }
}
