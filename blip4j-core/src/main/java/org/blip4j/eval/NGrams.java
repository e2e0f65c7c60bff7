package org.blip4j.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * pycocoevalcap's {@code precook}: n-gram counts of {@code s.split()}, one map per order (index 0 = unigrams).
 * Insertion order is kept because CIDEr sums floats in the order Python's dict iterates.
 */
final class NGrams {
    private NGrams() {
    }

    static List<Map<String, Integer>> count(List<String> words, int maxN) {
        List<Map<String, Integer>> counts = new ArrayList<>(maxN);
        for (int k = 1; k <= maxN; k++) {
            Map<String, Integer> order = new LinkedHashMap<>();
            for (int i = 0; i + k <= words.size(); i++) {
                // tokens contain no whitespace after split(), so a space-joined key is unambiguous
                order.merge(String.join(" ", words.subList(i, i + k)), 1, Integer::sum);
            }
            counts.add(order);
        }
        return counts;
    }
}
