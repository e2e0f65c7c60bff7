package org.blip4j.eval;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * VQA accuracy on the 0-100 scale, as VQAEval.accuracy / evalQA report it. Values are unrounded (what the official
 * code gives with a large n); {@link #rounded(int)} gives the official output for its {@code n} (2 by default).
 *
 * @param overall         100 * sum(per-question accuracy) / #questions
 * @param perAnswerType   the same per answer type, in order of first appearance
 * @param perQuestionType the same per question type, in order of first appearance
 * @param perQuestion     question id -> 100 * mean over the 10 leave-one-out subsets of min(1, matches / 3)
 */
public record VqaAccuracy(double overall, Map<String, Double> perAnswerType, Map<String, Double> perQuestionType,
                          Map<Long, Double> perQuestion) {

    /** Every value through the official {@code round(x, n)}. */
    public VqaAccuracy rounded(int n) {
        return new VqaAccuracy(round(overall, n), map(perAnswerType, v -> round(v, n)),
                map(perQuestionType, v -> round(v, n)), map(perQuestion, v -> round(v, n)));
    }

    /**
     * Python 2 {@code round(x, n)} (vqaEval.py is Python 2): the exact binary value rounded to n decimals, halfway
     * cases away from zero, then back to the nearest double. (Python 3 rounds exact halves to even.)
     */
    public static double round(double x, int n) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        return new BigDecimal(x).setScale(n, RoundingMode.HALF_UP).doubleValue();
    }

    private static <K> Map<K, Double> map(Map<K, Double> in, Function<Double, Double> f) {
        Map<K, Double> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, f.apply(v)));
        return Collections.unmodifiableMap(out);
    }
}
