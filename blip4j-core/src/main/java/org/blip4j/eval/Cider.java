package org.blip4j.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CIDEr-D as pycocoevalcap's cider_scorer.py computes it: tf-idf n-gram vectors (n = 1..4) with document
 * frequencies taken from the evaluated references only, idf = log(#images) - log(max(1, df)), clipped similarity
 * {@code min(hyp, ref) * ref}, a Gaussian length penalty (sigma = 6), averaged over n and over references, times 10.
 * Floating-point sums follow the Python iteration order. With a single image log(1) = 0, so every score is 0.
 */
final class Cider {
    private final int n;
    private final double sigma;

    public Cider(int n, double sigma) {
        this.n = n;
        this.sigma = sigma;
    }

    public Cider() {
        this(4, 6.0);
    }

    public MetricScore score(List<String> candidates, List<List<String>> references) {
        CaptionScorerInput.check(candidates, references);
        List<List<List<Map<String, Integer>>>> refCounts = new ArrayList<>();
        for (List<String> refs : references) {
            List<List<Map<String, Integer>>> cooked = new ArrayList<>();
            for (String ref : refs) {
                cooked.add(NGrams.count(PythonText.split(ref), n));
            }
            refCounts.add(cooked);
        }
        Map<String, Integer> documentFrequency = documentFrequency(refCounts);
        double refLen = Math.log((double) references.size());
        double[] perImage = new double[candidates.size()];
        for (int img = 0; img < perImage.length; img++) {
            Vec hyp = vectorize(NGrams.count(PythonText.split(candidates.get(img)), n), documentFrequency, refLen);
            double[] score = new double[n];
            for (List<Map<String, Integer>> ref : refCounts.get(img)) {
                double[] sim = similarity(hyp, vectorize(ref, documentFrequency, refLen));
                for (int k = 0; k < n; k++) {
                    score[k] += sim[k];
                }
            }
            double avg = NumpyMath.mean(score);
            avg /= refCounts.get(img).size();
            avg *= 10.0;
            perImage[img] = avg;
        }
        return new MetricScore(NumpyMath.mean(perImage), perImage);
    }

    /** Number of images whose references contain each n-gram (orders kept apart by the key's word count). */
    private Map<String, Integer> documentFrequency(List<List<List<Map<String, Integer>>>> refCounts) {
        Map<String, Integer> df = new HashMap<>();
        for (List<List<Map<String, Integer>>> image : refCounts) {
            Set<String> seen = new HashSet<>();
            for (List<Map<String, Integer>> ref : image) {
                for (Map<String, Integer> order : ref) {
                    seen.addAll(order.keySet());
                }
            }
            for (String gram : seen) {
                df.merge(gram, 1, Integer::sum);
            }
        }
        return df;
    }

    /** tf-idf vector per order, its norm, and "length": the bigram count, as the original's {@code if n == 1}. */
    private record Vec(List<Map<String, Double>> weights, double[] norm, int length) {
    }

    private Vec vectorize(List<Map<String, Integer>> counts, Map<String, Integer> documentFrequency, double refLen) {
        List<Map<String, Double>> weights = new ArrayList<>(n);
        double[] norm = new double[n];
        int length = 0;
        for (int k = 0; k < n; k++) {
            Map<String, Double> vec = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, Integer> e : counts.get(k).entrySet()) {
                double df = Math.log(Math.max(1.0, documentFrequency.getOrDefault(e.getKey(), 0)));
                double w = (double) e.getValue() * (refLen - df);
                vec.put(e.getKey(), w);
                norm[k] += w * w;
                if (k == 1) {
                    length += e.getValue(); // the original counts bigrams here, not words
                }
            }
            weights.add(vec);
        }
        for (int k = 0; k < n; k++) {
            norm[k] = Math.sqrt(norm[k]);
        }
        return new Vec(weights, norm, length);
    }

    private double[] similarity(Vec hyp, Vec ref) {
        double delta = hyp.length() - ref.length();
        double[] val = new double[n];
        for (int k = 0; k < n; k++) {
            Map<String, Double> refWeights = ref.weights().get(k);
            for (Map.Entry<String, Double> e : hyp.weights().get(k).entrySet()) {
                double r = refWeights.getOrDefault(e.getKey(), 0.0);
                val[k] += Math.min(e.getValue(), r) * r; // clipping (CIDEr-D)
            }
            if (hyp.norm()[k] != 0 && ref.norm()[k] != 0) {
                val[k] /= hyp.norm()[k] * ref.norm()[k];
            }
            val[k] *= Math.pow(Math.E, -(delta * delta) / (2 * sigma * sigma));
        }
        return val;
    }
}
