package org.blip4j.text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * transformers-4.15 {@code WordpieceTokenizer}: greedy longest-match-first over code points, continuation pieces
 * prefixed with "##"; a word with an unmatchable rest, or longer than {@code maxInputCharsPerWord} code points,
 * becomes a single unknown token.
 */
final class WordpieceTokenizer {
    private final Predicate<String> inVocab;
    private final String unkToken;
    private final String prefix;
    private final int maxInputCharsPerWord;

    WordpieceTokenizer(Predicate<String> inVocab, String unkToken, String prefix, int maxInputCharsPerWord) {
        this.inVocab = inVocab;
        this.unkToken = unkToken;
        this.prefix = prefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
    }

    List<String> tokenize(String word) {
        List<String> out = new ArrayList<>();
        for (String token : CharClasses.pythonSplit(word)) {
            int[] cps = token.codePoints().toArray();
            if (cps.length > maxInputCharsPerWord) {
                out.add(unkToken);
                continue;
            }
            List<String> pieces = greedyPieces(cps);
            if (pieces == null) {
                out.add(unkToken);
            } else {
                out.addAll(pieces);
            }
        }
        return out;
    }

    /** The pieces, or null when some suffix has no vocabulary match. */
    private List<String> greedyPieces(int[] cps) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        while (start < cps.length) {
            String match = null;
            int end = cps.length;
            while (start < end) {
                String candidate = new String(cps, start, end - start);
                if (start > 0) {
                    candidate = prefix + candidate;
                }
                if (inVocab.test(candidate)) {
                    match = candidate;
                    break;
                }
                end--;
            }
            if (match == null) {
                return null;
            }
            pieces.add(match);
            start = end;
        }
        return pieces;
    }
}
