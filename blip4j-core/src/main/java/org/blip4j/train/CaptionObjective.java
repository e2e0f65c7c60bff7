package org.blip4j.train;

import ai.djl.ndarray.NDArray;
import org.blip4j.model.BlipModel;
import org.blip4j.model.LmLoss;

/**
 * The captioner's objective, orig {@code models/blip.py} {@code BLIP_Decoder.forward}: LM on "prompt + caption" with
 * [DEC] first, pads and the prompt positions masked out of the labels, label smoothing 0.1.
 */
final class CaptionObjective {
    private CaptionObjective() {
    }

    public static NDArray forward(BlipModel model, NDArray pixels, NDArray decIds, NDArray mask, NDArray labels,
            double labelSmoothing, boolean training) {
        NDArray imageEmbeds = model.imageEmbeds(pixels, training);
        NDArray logits = model.decoderLogits(LmLoss.prefix(decIds), LmLoss.prefix(mask), imageEmbeds, null, null,
                training);
        return LmLoss.meanOfPrefix(logits, labels, labelSmoothing);
    }

    /** Labels: ids with pad → −100 and the first {@code promptLength} positions → −100. */
    public static long[] labels(long[] flatIds, long[] flatMask, int length, int promptLength) {
        long[] out = flatIds.clone();
        for (int i = 0; i < out.length; i++) {
            if (flatMask[i] == 0 || i % length < promptLength) {
                out[i] = LmLoss.IGNORE;
            }
        }
        return out;
    }
}
