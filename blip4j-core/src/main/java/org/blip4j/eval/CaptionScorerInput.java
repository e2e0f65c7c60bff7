package org.blip4j.eval;

import java.util.List;

/** Checks shared by the scorers: one candidate and at least one reference per image, as pycocoevalcap asserts. */
final class CaptionScorerInput {
    private CaptionScorerInput() {
    }

    static void check(List<String> candidates, List<List<String>> references) {
        if (candidates.size() != references.size()) {
            throw new IllegalArgumentException(candidates.size() + " candidates but " + references.size()
                    + " reference lists");
        }
        for (int i = 0; i < references.size(); i++) {
            if (references.get(i).isEmpty()) {
                throw new IllegalArgumentException("image #" + i + " has no reference captions");
            }
        }
    }
}
