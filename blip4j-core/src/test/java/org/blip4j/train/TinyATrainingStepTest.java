package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.engine.Engines;
import org.blip4j.model.BlipModel;
import org.blip4j.model.LmLoss;
import org.blip4j.nn.Parameter;
import org.blip4j.testutil.Fixtures;
import org.blip4j.testutil.Golden;
import org.junit.jupiter.api.Test;

/**
 * The official retrieval training step on tiny-a (ITC with a queue and id positives, ITM with a fixed negative
 * assignment) and the LM loss: losses, similarities and gradients equal the goldens.
 */
class TinyATrainingStepTest {
    static final double TOL = 1e-4;
    /** Targets (probabilities) and losses, as the fixture README suggests. */
    static final double TOL_LOSS = 1e-5;

    @Test
    void retrievalStepLossesAndGradientsMatch() throws Exception {
        Golden g = Golden.tinyA();
        try (NDManager manager = Engines.newManager(Engines.device("cpu"));
             BlipModel model = Fixtures.loadTinyAModel(manager)) {
            String[] names = {"itm_head.weight", "itm_head.bias", "vision_proj.weight", "text_proj.weight", "temp",
                "text_decoder.cls.predictions.bias", "text_decoder.bert.embeddings.word_embeddings.weight"};
            for (String n : names) {
                model.parameters().get(n).array().setRequiresGradient(true);
            }
            try (NDManager m = manager.newSubManager()) {
                NDArray pixels = g.get("pixel_values", m);
                NDArray ids = g.get("train_input_ids", m);
                NDArray mask = g.get("train_attention_mask", m);
                NDArray encIds = ids.duplicate();
                encIds.set(new ai.djl.ndarray.index.NDIndex(":, 0"), 330L);
                NDArray idx = g.get("train_idx", m);
                FeatureQueue queue = new FeatureQueue(g.get("train_image_queue", m), g.get("train_text_queue", m),
                        g.get("train_idx_queue", m), 0);
                List<float[][]> seenWeights = new ArrayList<>();
                int[][] fixed = {{1, 2, 3, 0}, {2, 3, 0, 1}};
                NegativeSampler sampler = w -> {
                    seenWeights.add(w);
                    return fixed[seenWeights.size() - 1].clone();
                };
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    RetrievalObjective.Output out = RetrievalObjective.forward(model, model, queue, pixels, ids, encIds,
                            mask, idx, g.longs("train_idx"), 0.0, sampler, false);
                    Golden.assertClose("sim_targets", g.get("train_sim_targets", m), out.simTargets(), TOL_LOSS);
                    Golden.assertClose("sim_i2t", g.get("train_sim_i2t", m), out.simI2t(), TOL);
                    Golden.assertClose("sim_t2i", g.get("train_sim_t2i", m), out.simT2i(), TOL);
                    Golden.assertClose("loss_ita", g.get("train_loss_ita", m), out.lossItc(), TOL_LOSS);
                    Golden.assertClose("itm_logits", g.get("train_itm_logits", m), out.itmLogits(), TOL);
                    Golden.assertClose("loss_itm", g.get("train_loss_itm", m), out.lossItm(), TOL_LOSS);
                    gc.backward(out.lossItc().add(out.lossItm()));
                }
                float[][] expectedRows = readWeightRows();
                for (int r = 0; r < 8; r++) {
                    float[] got = seenWeights.get(r / 4)[r % 4];
                    Golden.assertClose("multinomial weights row " + r, expectedRows[r], got, 1e-5);
                }
                grad(model, "itm_head.weight", g, "grad_itm_head_weight", m);
                grad(model, "itm_head.bias", g, "grad_itm_head_bias", m);
                grad(model, "vision_proj.weight", g, "grad_vision_proj_weight", m);
                grad(model, "text_proj.weight", g, "grad_text_proj_weight", m);
                grad(model, "temp", g, "grad_temp", m);

                NDArray lmIds = g.get("lm_input_ids", m);
                NDArray lmMask = g.get("lm_attention_mask", m);
                NDArray labels = g.get("lm_labels", m);
                NDArray lmEmb = g.get("lm_image_embeds", m);
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray loss = LmLoss.mean(model.decoderLogits(lmIds, lmMask, lmEmb, null, null, false), labels,
                            0.1);
                    Golden.assertClose("lm_loss", g.get("lm_loss", m), loss, TOL_LOSS);
                    gc.backward(loss);
                }
                grad(model, "text_decoder.cls.predictions.bias", g, "grad_lm_cls_bias", m);
                grad(model, "text_decoder.bert.embeddings.word_embeddings.weight", g, "grad_lm_word_embeddings", m);
            }
        }
    }

    static void grad(BlipModel model, String param, Golden g, String golden, NDManager m) {
        Parameter p = model.parameters().get(param);
        NDArray grad = p.array().getGradient();
        assertArrayEquals(p.shape().getShape(), grad.getShape().getShape());
        Golden.assertClose("grad " + param, g.get(golden, m), grad.reshape(g.get(golden, m).getShape()), TOL);
        grad.close();
    }

    static float[][] readWeightRows() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Fixtures.tinyA().resolve("golden.json").toFile());
        var rows = json.path("training_step").path("multinomial_weights_rows");
        float[][] out = new float[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            out[i] = new float[rows.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = (float) rows.get(i).get(j).asDouble();
            }
        }
        return out;
    }
}
