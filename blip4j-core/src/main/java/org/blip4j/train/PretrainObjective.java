package org.blip4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import org.blip4j.model.BlipModel;
import org.blip4j.model.CrossKeyValues;
import org.blip4j.model.LmLoss;
import org.blip4j.nn.Ops;

/**
 * orig {@code models/blip_pretrain.py} {@code BLIP_Pretrain.forward} (paper §3.2): ITC with momentum distillation
 * against momentum features and the queue; ITM with hard negatives drawn from the similarity softmax (diagonal
 * excluded, +1e-4); LM on the [DEC]-first text with label smoothing 0.1. The caller has already updated the momentum
 * encoders.
 */
public final class PretrainObjective {
    private PretrainObjective() {
    }

    /**
     * The three losses of one pre-training step, and the momentum features the caller enqueues after the
     * optimiser step.
     */
    public record Output(NDArray lossItc, NDArray lossItm, NDArray lossLm, NDArray imageFeatM, NDArray textFeatM) {
        public NDArray total() {
            return lossItc.add(lossItm).add(lossLm);
        }
    }

    /**
     * @param ids (B,L) [CLS]-first; @param encIds [ENC]-first; @param decIds [DEC]-first; @param labels decIds with
     *     pad → −100
     */
    public static Output forward(BlipModel online, BlipModel momentum, FeatureQueue queue, NDArray pixels,
            NDArray ids, NDArray encIds, NDArray decIds, NDArray mask, NDArray labels, double alpha,
            double labelSmoothing, NegativeSampler sampler, boolean training) {
        int b = (int) pixels.getShape().get(0);
        NDArray temp = online.temperature();
        NDArray imageEmbeds = online.imageEmbeds(pixels, training);
        NDArray imageFeat = online.imageFeatures(imageEmbeds);
        NDArray textFeat = online.textFeatures(ids, mask, training);

        NDArray[] m = NoGrad.run(() -> new NDArray[] {
            momentum.imageFeaturesOfPixels(pixels, training),
            momentum.textFeatures(ids, mask, training)});
        NDArray imageFeatM = m[0].stopGradient();
        NDArray textFeatM = m[1].stopGradient();
        NDArray imageFeatAll = NDArrays.concat(new NDList(imageFeatM.transpose(), queue.imageQueue()), 1);
        NDArray textFeatAll = NDArrays.concat(new NDList(textFeatM.transpose(), queue.textQueue()), 1);
        NDArray hard = ContrastiveLoss.diagonalTargets(pixels.getManager(), b, b + queue.size());
        NDArray tempD = temp.stopGradient();
        NDArray targetsI2t = ContrastiveLoss.softTargets(imageFeatM.matMul(textFeatAll).div(tempD), hard, alpha);
        NDArray targetsT2i = ContrastiveLoss.softTargets(textFeatM.matMul(imageFeatAll).div(tempD), hard, alpha);
        NDArray simI2t = imageFeat.matMul(textFeatAll).div(temp);
        NDArray simT2i = textFeat.matMul(imageFeatAll).div(temp);
        NDArray lossItc = ContrastiveLoss.softCrossEntropy(simI2t, targetsI2t)
                .add(ContrastiveLoss.softCrossEntropy(simT2i, targetsT2i));
        lossItc = Ops.div(lossItc, 2);

        // negatives from the local-batch columns of the online-vs-momentum similarities
        boolean[][] diag = MatchingLoss.diagonal(b);
        float[][] wT2i = MatchingLoss.weights(simT2i.stopGradient().get(":, :{}", b), diag, 1e-4f);
        float[][] wI2t = MatchingLoss.weights(simI2t.stopGradient().get(":, :{}", b), diag, 1e-4f);
        // one projection of the images per cross-attention layer serves the 3B ITM pairs and the tied LM decoder
        CrossKeyValues images = online.imageKeyValues(imageEmbeds);
        MatchingLoss.Result itm = MatchingLoss.compute(online, encIds, mask, images, wT2i, wI2t, sampler, training);

        NDArray logits = online.decoderLogits(LmLoss.prefix(decIds), LmLoss.prefix(mask), images, training);
        NDArray lossLm = LmLoss.meanOfPrefix(logits, labels, labelSmoothing);
        return new Output(lossItc, itm.loss(), lossLm, imageFeatM, textFeatM);
    }
}
