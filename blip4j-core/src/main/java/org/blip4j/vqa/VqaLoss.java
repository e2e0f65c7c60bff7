package org.blip4j.vqa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.blip4j.model.BlipModel;
import org.blip4j.model.LmLoss;
import org.blip4j.nn.Ops;

/**
 * The VQA fine-tuning loss of orig {@code models/blip_vqa.py} {@code BLIP_VQA.forward(train=True)}: question b has
 * {@code n[b]} answers with weights; its question states and (real) padding mask are repeated {@code n[b]}
 * times; each answer's loss is its summed label-smoothed (0.1) token cross entropy ([DEC] … [SEP], pads ignored);
 * {@code loss = Σ weight · answer_loss / number_of_questions}.
 */
public final class VqaLoss {
    /**
     * The original's smoothing in every LM loss, including VQA training and rank scoring (orig {@code models/med.py}
     * {@code BertLMHeadModel.forward}: {@code CrossEntropyLoss(label_smoothing=0.1)}).
     */
    public static final double LABEL_SMOOTHING = 0.1;

    private VqaLoss() {
    }

    /**
     * @param questions states (B, Lq, H) and padding mask (B, Lq) of the B questions
     * @param answerIds (nAns, La) answers of all questions, question-major, [DEC] first, [PAD]-padded
     * @param answerMask (nAns, La)
     * @param answersPerQuestion n[b], summing to nAns
     * @param weights (nAns) answer weights (VQA v2: share of annotators who gave the answer)
     * @param padId [PAD], whose positions are ignored
     * @param training dropout on
     * @return the scalar loss
     */
    public static NDArray loss(BlipModel model, QuestionStates questions, NDArray answerIds, NDArray answerMask,
            int[] answersPerQuestion, NDArray weights, int padId, boolean training) {
        NDArray perAnswer = perAnswer(model, questions, answerIds, answerMask, answersPerQuestion, padId, training);
        return Ops.div(perAnswer.mul(weights.toType(DataType.FLOAT32, false)).sum(), questions.size());
    }

    /** Each answer's summed label-smoothed cross entropy (nAns), the loss with {@code reduction='none'}. */
    public static NDArray perAnswer(BlipModel model, QuestionStates questions, NDArray answerIds, NDArray answerMask,
            int[] answersPerQuestion, int padId, boolean training) {
        if (answersPerQuestion.length != questions.size()) {
            throw new IllegalArgumentException(answersPerQuestion.length + " answer counts for " + questions.size()
                    + " questions");
        }
        long[] owner = owners(answersPerQuestion, answerIds.getShape().get(0));
        NDArray states = questions.states();
        NDArray mask = questions.mask();
        if (owner.length != questions.size()) {
            NDArray index = states.getManager().create(owner);
            states = states.get(index);
            mask = mask.get(index);
        }
        NDArray logits = model.decoderLogits(answerIds, answerMask, states, mask, null, training);
        return LmLoss.perSequence(logits, labels(answerIds, padId), LABEL_SMOOTHING);
    }

    /** Labels of decoder input ids: [PAD] → −100 (orig {@code masked_fill(ids == pad_token_id, -100)}). */
    public static NDArray labels(NDArray ids, int padId) {
        NDArray longIds = ids.toType(DataType.INT64, false);
        NDArray isPad = longIds.eq(padId);
        return longIds.mul(isPad.logicalNot().toType(DataType.INT64, false))
                .add(isPad.toType(DataType.INT64, false).mul(LmLoss.IGNORE));
    }

    /** The question row each answer belongs to: b repeated n[b] times. */
    static long[] owners(int[] answersPerQuestion, long answers) {
        long total = 0;
        for (int n : answersPerQuestion) {
            if (n < 1) {
                throw new IllegalArgumentException("every question needs at least one answer, got n = " + n);
            }
            total += n;
        }
        if (total != answers) {
            throw new IllegalArgumentException("answer counts sum to " + total + " but there are " + answers
                    + " answers");
        }
        long[] owner = new long[(int) total];
        int r = 0;
        for (int b = 0; b < answersPerQuestion.length; b++) {
            for (int j = 0; j < answersPerQuestion[b]; j++) {
                owner[r++] = b;
            }
        }
        return owner;
    }
}
