package org.blip4j.task.retrieval;

import org.blip4j.eval.RetrievalMetrics;

/**
 * What {@link RetrievalEvaluator#evaluate} found. The matrices are null unless
 * {@link RetrievalEvaluatorOptions#keepScores()}.
 *
 * @param metrics          TR@K / IR@K with the original's keys
 * @param sims             cosine similarities, images x texts
 * @param scoreI2t         images x texts: ITM logit + cosine for each image's top-k texts, -100 elsewhere
 * @param scoreT2i         texts x images, likewise
 * @param cachedImages     images whose ViT output was kept from the ITC pass
 * @param recomputedImages images encoded a second time for re-ranking (did not fit the cache budget)
 * @param itmPairs         distinct (image, text) pairs scored by the ITM head
 */
public record RetrievalEvaluatorResult(RetrievalMetrics metrics, double[][] sims, double[][] scoreI2t,
                                       double[][] scoreT2i, int cachedImages, int recomputedImages, long itmPairs) {
}
