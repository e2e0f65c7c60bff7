package org.blip4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.model.BlipModel;
import org.blip4j.text.BlipTokenizer;
import org.blip4j.text.Padding;
import org.blip4j.text.TokenBatch;
import org.blip4j.vqa.QuestionEncoder;
import org.blip4j.vqa.QuestionStates;
import org.blip4j.vqa.VqaLoss;

/**
 * The VQA fine-tuning objective, orig {@code models/blip_vqa.py} {@code BLIP_VQA.forward(train=True)}: questions
 * encoded over the image ([ENC], longest padding, max 35), answers tokenised with [DEC] first and longest padding,
 * {@link VqaLoss}'s weighted per-answer loss over the number of questions.
 */
final class VqaObjective {
    private VqaObjective() {
    }

    /** A batch's answers grouped per question, question-major, as orig {@code vqa_collate_fn} builds them. */
    public record AnswerGroups(List<String> answers, int[] counts, float[] weights) {
        public static AnswerGroups of(List<WeightedAnswers> perQuestion) {
            List<String> answers = new ArrayList<>();
            int[] counts = new int[perQuestion.size()];
            List<Float> weights = new ArrayList<>();
            for (int q = 0; q < counts.length; q++) {
                WeightedAnswers w = perQuestion.get(q);
                answers.addAll(w.answers());
                counts[q] = w.size();
                for (float f : w.weights()) {
                    weights.add(f);
                }
            }
            float[] flat = new float[weights.size()];
            for (int i = 0; i < flat.length; i++) {
                flat[i] = weights.get(i);
            }
            return new AnswerGroups(answers, counts, flat);
        }
    }

    /**
     * @param pixels (B, 3, S, S) on the manager the intermediate arrays should live on
     * @param questions the B questions, as the encoder should see them (see {@code preQuestion})
     * @param preQuestion apply BLIP's {@code pre_question} to the questions (the dataset does in the original)
     */
    public static NDArray forward(BlipModel model, BlipTokenizer tokenizer, NDArray pixels, List<String> questions,
            AnswerGroups answers, boolean preQuestion, boolean training) {
        NDManager m = pixels.getManager();
        NDArray imageEmbeds = model.imageEmbeds(pixels, training);
        QuestionStates q = new QuestionEncoder(model, tokenizer, preQuestion).encode(imageEmbeds, questions,
                training);
        TokenBatch a = tokenizer.encodeForDecoder(answers.answers(), 0, Padding.LONGEST, false);
        NDArray ids = m.create(a.flatIds(), new Shape(a.shape()));
        NDArray mask = m.create(a.flatAttentionMask(), new Shape(a.shape()));
        return VqaLoss.loss(model, q, ids, mask, answers.counts(), m.create(answers.weights()),
                tokenizer.specialTokens().pad(), training);
    }
}
