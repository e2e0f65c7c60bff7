package org.blip4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.blip4j.model.BlipModel;
import org.blip4j.nn.Ops;

/**
 * The filter's training objective, orig {@code models/blip_retrieval.py} {@code BLIP_Retrieval.forward}: ITC with
 * momentum features, a queue and image-id positives, plus ITM with hard negatives that avoid same-id pairs. Returns
 * both losses.
 */
final class RetrievalObjective {
    private RetrievalObjective() {
    }

    /** Losses and intermediate values (for logging and tests). */
    public record Output(NDArray lossItc, NDArray lossItm, NDArray simI2t, NDArray simT2i, NDArray simTargets,
            NDArray itmLogits, NDArray imageFeatM, NDArray textFeatM) {
    }

    /**
     * @param online the model being trained; @param momentum its momentum copy (features computed without grad)
     * @param pixels (B,3,S,S); @param ids (B,L) [CLS]-first; @param encIds same with [ENC]; @param idx image ids (B)
     */
    public static Output forward(BlipModel online, BlipModel momentum, FeatureQueue queue, NDArray pixels,
            NDArray ids, NDArray encIds, NDArray mask, NDArray idx, long[] idxValues, double alpha,
            NegativeSampler sampler, boolean training) {
        NDArray temp = online.temperature();
        NDArray imageEmbeds = online.imageEmbeds(pixels, training);
        NDArray imageFeat = online.imageFeatures(imageEmbeds);
        NDArray textFeat = online.textFeatures(ids, mask, training);

        NDArray idxAll = NDArrays.concat(new NDList(idx.reshape(1, -1), queue.idxQueue()), 1);
        NDArray simTargets = ContrastiveLoss.idTargets(idx, idxAll);
        NDArray[] m = NoGrad.run(() -> {
            NDArray imgM = momentum.imageFeaturesOfPixels(pixels, training);
            NDArray txtM = momentum.textFeatures(ids, mask, training);
            return new NDArray[] {imgM, txtM};
        });
        NDArray imageFeatM = m[0].stopGradient();
        NDArray textFeatM = m[1].stopGradient();
        NDArray imageFeatMAll = NDArrays.concat(new NDList(imageFeatM.transpose(), queue.imageQueue()), 1);
        NDArray textFeatMAll = NDArrays.concat(new NDList(textFeatM.transpose(), queue.textQueue()), 1);
        NDArray targetsI2t;
        NDArray targetsT2i;
        if (alpha > 0) {
            NDArray tempD = temp.stopGradient();
            targetsI2t = ContrastiveLoss.softTargets(imageFeatM.matMul(textFeatMAll).div(tempD), simTargets, alpha);
            targetsT2i = ContrastiveLoss.softTargets(textFeatM.matMul(imageFeatMAll).div(tempD), simTargets, alpha);
        } else {
            targetsI2t = simTargets;
            targetsT2i = simTargets;
        }
        NDArray simI2t = imageFeat.matMul(textFeatMAll).div(temp);
        NDArray simT2i = textFeat.matMul(imageFeatMAll).div(temp);
        NDArray lossItc = ContrastiveLoss.softCrossEntropy(simI2t, targetsI2t)
                .add(ContrastiveLoss.softCrossEntropy(simT2i, targetsT2i));
        lossItc = Ops.div(lossItc, 2);

        // hard negatives from online-vs-online similarities, never the same image id
        boolean[][] same = MatchingLoss.sameId(idxValues);
        float[][] wI2t;
        float[][] wT2i;
        NDArray tempD = temp.stopGradient();
        wI2t = MatchingLoss.weights(imageFeat.stopGradient().matMul(textFeat.stopGradient().transpose()).div(tempD),
                same, 0f);
        wT2i = MatchingLoss.weights(textFeat.stopGradient().matMul(imageFeat.stopGradient().transpose()).div(tempD),
                same, 0f);
        MatchingLoss.Result itm = MatchingLoss.compute(online, encIds, mask, imageEmbeds, wT2i, wI2t, sampler,
                training);
        return new Output(lossItc, itm.loss(), simI2t, simT2i, simTargets, itm.logits(), imageFeatM, textFeatM);
    }
}
