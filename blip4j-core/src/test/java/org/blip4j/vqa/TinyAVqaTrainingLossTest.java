package org.blip4j.vqa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.blip4j.nn.Parameter;
import org.blip4j.task.Blip;
import org.blip4j.testutil.Golden;
import org.blip4j.text.Padding;
import org.blip4j.text.TokenBatch;
import org.junit.jupiter.api.Test;

/** The weighted VQA training loss of the official forward(train=True) and its gradients on tiny-a-vqa. */
class TinyAVqaTrainingLossTest {
    static final double TOL = 1e-4;
    static final String[][] GRADS = {
        {"text_decoder.cls.predictions.bias", "grad_train_decoder_cls_bias"},
        {"text_decoder.bert.embeddings.word_embeddings.weight", "grad_train_decoder_word_embeddings"},
        {"text_encoder.encoder.layer.0.crossattention.self.key.weight",
            "grad_train_encoder_layer0_crossattn_key_weight"},
        {"vision_model.post_layernorm.weight", "grad_train_vision_norm_weight"},
    };

    @Test
    void lossAndGradientsMatch() throws Exception {
        TinyAVqaFixture fx = new TinyAVqaFixture();
        Golden g = fx.golden;
        try (Blip blip = TinyAVqaFixture.load()) {
            for (String[] p : GRADS) {
                blip.model().parameters().get(p[0]).array().setRequiresGradient(true);
            }
            List<String> answers = fx.strings("/train/answer_arg");
            TokenBatch tokens = blip.tokenizer().encodeForDecoder(answers, 0, Padding.LONGEST, false);
            assertArrayEquals(g.longs("train_answer_input_ids"), tokens.flatIds());
            int[] n = {2, 1, 1, 1};
            int pad = blip.tokenizer().specialTokens().pad();
            try (NDManager m = blip.manager().newSubManager()) {
                NDArray ids = m.create(tokens.flatIds(), new Shape(tokens.shape()));
                NDArray mask = m.create(tokens.flatAttentionMask(), new Shape(tokens.shape()));
                assertArrayEquals(g.longs("train_answer_targets"), VqaLoss.labels(ids, pad).toLongArray());
                NDArray weights = g.get("train_weights", m);
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    QuestionStates q = fx.questionStates(blip, m);
                    NDArray perAnswer = VqaLoss.perAnswer(blip.model(), q, ids, mask, n, pad, false);
                    TinyAVqaParityTest.report("train_answer_loss", Golden.assertClose("train_answer_loss",
                            g.get("train_answer_loss", m), perAnswer, TinyAVqaParityTest.TOL_SCORE));
                    NDArray loss = VqaLoss.loss(blip.model(), q, ids, mask, n, weights, pad, false);
                    TinyAVqaParityTest.report("train_loss", Golden.assertClose("train_loss", g.get("train_loss", m),
                            loss, TinyAVqaParityTest.TOL_SCORE));
                    gc.backward(loss);
                }
                for (String[] p : GRADS) {
                    Parameter param = blip.model().parameters().get(p[0]);
                    NDArray expected = g.get(p[1], m);
                    NDArray grad = param.array().getGradient();
                    TinyAVqaParityTest.report(p[1], Golden.assertClose(p[1], expected,
                            grad.reshape(expected.getShape()), TOL));
                    assertArrayEquals(param.shape().getShape(), grad.getShape().getShape());
                    grad.close();
                }
            }
        }
    }

    @Test
    void answerCountsMustCoverTheAnswers() {
        assertThrows(IllegalArgumentException.class, () -> VqaLoss.owners(new int[] {2, 1}, 4));
        assertThrows(IllegalArgumentException.class, () -> VqaLoss.owners(new int[] {0, 3}, 3));
        assertArrayEquals(new long[] {0, 0, 1, 2, 2, 2}, VqaLoss.owners(new int[] {2, 1, 3}, 6));
    }
}
