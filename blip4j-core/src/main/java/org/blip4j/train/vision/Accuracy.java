package org.blip4j.train.vision;

import java.util.LinkedHashMap;
import java.util.Map;

/** Correct / total per named label group. */
final class Accuracy {
    private final Map<String, int[]> counts = new LinkedHashMap<>();

    void add(String group, boolean correct) {
        int[] c = counts.computeIfAbsent(group, k -> new int[2]);
        c[0] += correct ? 1 : 0;
        c[1]++;
    }

    Map<String, Double> fractions() {
        Map<String, Double> out = new LinkedHashMap<>();
        counts.forEach((k, c) -> out.put(k, c[1] == 0 ? Double.NaN : (double) c[0] / c[1]));
        return out;
    }
}
