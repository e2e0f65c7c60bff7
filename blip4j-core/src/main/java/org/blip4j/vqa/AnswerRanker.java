package org.blip4j.vqa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.blip4j.model.BlipModel;
import org.blip4j.model.LmLoss;
import org.blip4j.model.Part;
import org.blip4j.text.SpecialTokens;

/**
 * The 'rank' mode of orig {@code models/blip_vqa.py} {@code BLIP_VQA.rank_answer}: the probability of each candidate's first
 * token after [DEC] keeps the top k candidates per question; those are scored by minus their summed
 * label-smoothed cross entropy under the decoder (TRUE question mask), and the best score wins. The first-token
 * probability only filters; it is not part of the score.
 */
public final class AnswerRanker {
    private final BlipModel model;
    private final SpecialTokens ids;
    private final AnswerCandidates candidates;
    private final int k;

    public AnswerRanker(BlipModel model, SpecialTokens ids, AnswerCandidates candidates, int kTest) {
        this.model = model;
        this.ids = ids;
        this.candidates = candidates;
        this.k = Math.min(kTest, candidates.size());
        model.require(Part.TEXT_DECODER, "VQA answer ranking");
    }

    /** Number of candidates re-scored per question: k_test capped at the list size. */
    public int k() {
        return k;
    }

    public List<VqaAnswer> rank(QuestionStates questions) {
        float[][] probs = firstTokenProbabilities(questions);
        List<VqaAnswer> out = new ArrayList<>();
        for (int b = 0; b < probs.length; b++) {
            int[] top = topK(probs[b], k);
            float[] scores = scores(questions.row(b), top);
            List<RankedCandidate> ranked = new ArrayList<>();
            int best = 0;
            for (int j = 0; j < top.length; j++) {
                ranked.add(new RankedCandidate(top[j], candidates.answer(top[j]), probs[b][top[j]], scores[j]));
                if (scores[j] > scores[best]) { // first maximum, as torch.argmax
                    best = j;
                }
            }
            out.add(new VqaAnswer(candidates.answer(top[best]), scores[best], unpadded(top[best]), ranked));
        }
        return out;
    }

    /**
     * Step 1: softmax over the vocabulary of the decoder's output after [DEC] alone, read at each candidate's first
     * answer token → [questions][candidates].
     */
    public float[][] firstTokenProbabilities(QuestionStates questions) {
        int n = questions.size();
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDManager m = questions.states().getManager();
            long[] start = new long[n];
            Arrays.fill(start, ids.dec());
            NDArray logits = model.decoderLogits(m.create(start, new Shape(n, 1)), null, questions.states(),
                    questions.mask(), null, false);
            float[] p = logits.get(":, 0, :").softmax(-1).toFloatArray();
            int vocab = p.length / n;
            long[] first = candidates.firstTokens();
            float[][] out = new float[n][first.length];
            for (int b = 0; b < n; b++) {
                for (int c = 0; c < first.length; c++) {
                    out[b][c] = p[b * vocab + (int) first[c]];
                }
            }
            return out;
        }
    }

    /** Indices of the {@code k} largest values, largest first; equal values keep list order. */
    static int[] topK(float[] values, int k) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(values[b], values[a]));
        int[] top = new int[k];
        for (int i = 0; i < k; i++) {
            top[i] = order[i];
        }
        return top;
    }

    /**
     * Step 2 for one question (a batch of one): minus the summed label-smoothed token cross entropy of each given
     * candidate, labels = ids with [PAD] → −100 (the [SEP] counts).
     */
    public float[] scores(QuestionStates question, int[] chosen) {
        if (question.size() != 1) {
            throw new IllegalArgumentException("scores one question at a time, got " + question.size());
        }
        int len = candidates.tokens().length();
        long[] flatIds = new long[chosen.length * len];
        long[] flatMask = new long[chosen.length * len];
        for (int j = 0; j < chosen.length; j++) {
            System.arraycopy(candidates.tokens().ids()[chosen[j]], 0, flatIds, j * len, len);
            System.arraycopy(candidates.tokens().attentionMask()[chosen[j]], 0, flatMask, j * len, len);
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDManager m = question.states().getManager();
            Shape shape = new Shape(chosen.length, len);
            NDArray idArray = m.create(flatIds, shape);
            // the k candidate rows share the question's one encoder row (the decoder groups them)
            NDArray logits = model.decoderLogits(idArray, m.create(flatMask, shape), question.states(),
                    question.mask(), null, false);
            NDArray loss = LmLoss.perSequence(logits, VqaLoss.labels(idArray, ids.pad()), VqaLoss.LABEL_SMOOTHING);
            float[] scores = loss.neg().toFloatArray();
            return scores;
        }
    }

    private long[] unpadded(int candidate) {
        long[] row = candidates.tokens().ids()[candidate];
        long[] mask = candidates.tokens().attentionMask()[candidate];
        int n = 0;
        while (n < mask.length && mask[n] == 1) {
            n++;
        }
        return Arrays.copyOf(row, n);
    }
}
