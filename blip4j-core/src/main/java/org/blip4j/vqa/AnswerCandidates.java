package org.blip4j.vqa;

import java.util.List;
import org.blip4j.text.BlipTokenizer;
import org.blip4j.text.Padding;
import org.blip4j.text.TokenBatch;

/**
 * The candidate answer list of 'rank' mode, tokenised once as {@code train_vqa.py} prepares it: padded to the
 * longest, not truncated, [DEC] in column 0.
 */
final class AnswerCandidates {
    private final List<String> answers;
    private final TokenBatch tokens;

    private AnswerCandidates(List<String> answers, TokenBatch tokens) {
        this.answers = answers;
        this.tokens = tokens;
    }

    public static AnswerCandidates of(List<String> answers, BlipTokenizer tokenizer) {
        if (answers.isEmpty()) {
            throw new IllegalArgumentException("the candidate answer list is empty");
        }
        List<String> copy = List.copyOf(answers);
        return new AnswerCandidates(copy, tokenizer.encodeForDecoder(copy, 0, Padding.LONGEST, false));
    }

    public int size() {
        return answers.size();
    }

    public String answer(int i) {
        return answers.get(i);
    }

    public List<String> answers() {
        return answers;
    }

    /** [DEC] … [SEP] [PAD]… rows, (A, La). */
    public TokenBatch tokens() {
        return tokens;
    }

    /** Each candidate's first answer token ({@code ids[:, 1]}), whose probability filters the candidates. */
    public long[] firstTokens() {
        long[] first = new long[answers.size()];
        for (int i = 0; i < first.length; i++) {
            first[i] = tokens.ids()[i][1];
        }
        return first;
    }
}
