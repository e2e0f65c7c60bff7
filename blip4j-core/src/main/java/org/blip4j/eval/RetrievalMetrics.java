package org.blip4j.eval;

import java.util.LinkedHashMap;
import java.util.Map;

/** Recall@K in percent, named as train_retrieval.py's {@code itm_eval} result dict. */
public record RetrievalMetrics(double txtR1, double txtR5, double txtR10, double txtRMean,
                               double imgR1, double imgR5, double imgR10, double imgRMean, double rMean) {

    /** The original keys: txt_r1, txt_r5, txt_r10, txt_r_mean, img_r1, img_r5, img_r10, img_r_mean, r_mean. */
    public Map<String, Double> toMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("txt_r1", txtR1);
        m.put("txt_r5", txtR5);
        m.put("txt_r10", txtR10);
        m.put("txt_r_mean", txtRMean);
        m.put("img_r1", imgR1);
        m.put("img_r5", imgR5);
        m.put("img_r10", imgR10);
        m.put("img_r_mean", imgRMean);
        m.put("r_mean", rMean);
        return m;
    }
}
