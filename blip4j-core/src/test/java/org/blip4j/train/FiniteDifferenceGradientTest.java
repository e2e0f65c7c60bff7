package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.function.Supplier;
import org.blip4j.engine.Engines;
import org.blip4j.model.BlipModel;
import org.blip4j.model.LmLoss;
import org.blip4j.nn.Parameter;
import org.blip4j.testutil.Fixtures;
import org.blip4j.testutil.Golden;
import org.junit.jupiter.api.Test;

/**
 * Autograd gradients of the ITC, ITM and LM losses agree with central finite differences (float64, 1e-3 relative)
 * for named parameters deep inside the ViT, the text encoder (self- and cross-attention) and the decoder.
 */
class FiniteDifferenceGradientTest {
    static final double EPS = 1e-5;

    @Test
    void lossGradientsMatchFiniteDifferences() throws Exception {
        Golden g = Golden.tinyA();
        try (NDManager manager = Engines.newManager(Engines.device("cpu"));
             BlipModel model = Fixtures.loadTinyAModel(manager);
             // a separate (frozen) momentum copy: perturbing the online weights must not move the targets
             BlipModel momentum = Fixtures.loadTinyAModel(manager)) {
            for (BlipModel b : new BlipModel[] {model, momentum}) {
                for (Parameter p : b.parameters().parameters().values()) {
                    p.set(p.array().toType(DataType.FLOAT64, false));
                }
            }
            NDManager m = manager.newSubManager();
            NDArray pixels = g.get("pixel_values", m).toType(DataType.FLOAT64, false);
            NDArray ids = g.get("train_input_ids", m);
            NDArray mask = g.get("train_attention_mask", m);
            NDArray encIds = ids.duplicate();
            encIds.set(new NDIndex(":, 0"), 330L);
            NDArray idx = g.get("train_idx", m);
            long[] idxValues = g.longs("train_idx");
            FeatureQueue queue = new FeatureQueue(g.get("train_image_queue", m).toType(DataType.FLOAT64, false),
                    g.get("train_text_queue", m).toType(DataType.FLOAT64, false), g.get("train_idx_queue", m), 0);
            int[][] fixed = {{1, 2, 3, 0}, {2, 3, 0, 1}};
            Supplier<RetrievalObjective.Output> retrieval = () -> {
                int[] calls = {0};
                NegativeSampler s = w -> fixed[calls[0]++].clone();
                return RetrievalObjective.forward(model, momentum, queue, pixels, ids, encIds, mask, idx, idxValues,
                        0.0, s, false);
            };
            Supplier<NDArray> itc = () -> retrieval.get().lossItc();
            Supplier<NDArray> itm = () -> retrieval.get().lossItm();
            NDArray lmIds = g.get("lm_input_ids", m);
            NDArray lmMask = g.get("lm_attention_mask", m);
            NDArray labels = g.get("lm_labels", m);
            NDArray lmPixels = pixels.get("0:2");
            Supplier<NDArray> lm = () -> LmLoss.mean(model.decoderLogits(lmIds, lmMask,
                    model.imageEmbeds(lmPixels, false), null, null, false), labels, 0.1);

            check(model, itc, "vision_model.encoder.layers.0.mlp.fc1.weight", 3, 4);
            check(model, itc, "text_encoder.encoder.layer.1.attention.self.query.weight", 0, 5);
            check(model, itc, "temp", -1, -1);
            check(model, itm, "text_encoder.encoder.layer.0.crossattention.self.key.weight", 1, 2);
            check(model, itm, "vision_model.encoder.layers.1.self_attn.qkv.weight", 7, 3);
            check(model, itm, "itm_head.weight", 1, 7);
            check(model, lm, "text_decoder.bert.encoder.layer.0.crossattention.self.value.weight", 2, 2);
            check(model, lm, "text_decoder.bert.encoder.layer.1.attention.self.key.weight", 4, 1);
            check(model, lm, "vision_model.embeddings.patch_embedding.bias", 5, -1);
            m.close();
        }
    }

    static void check(BlipModel model, Supplier<NDArray> loss, String name, int i, int j) {
        Parameter p = model.parameters().get(name);
        NDArray w = p.array();
        w.setRequiresGradient(true);
        double analytic;
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            gc.backward(loss.get());
        }
        try (NDArray grad = w.getGradient()) {
            analytic = element(grad, i, j);
        }
        w.setRequiresGradient(false);
        double orig = element(w, i, j);
        set(w, i, j, orig + EPS);
        double plus = NoGrad.run(() -> loss.get().getDouble());
        set(w, i, j, orig - EPS);
        double minus = NoGrad.run(() -> loss.get().getDouble());
        set(w, i, j, orig);
        double numeric = (plus - minus) / (2 * EPS);
        double rel = Math.abs(analytic - numeric) / Math.max(1e-6, Math.max(Math.abs(analytic), Math.abs(numeric)));
        assertTrue(rel < 1e-3 && Math.abs(numeric) > 1e-9, name + ": autograd " + analytic + " vs finite difference "
                + numeric + " (relative " + rel + ")");
    }

    static NDIndex at(NDArray a, int i, int j) {
        return a.getShape().dimension() == 0 ? new NDIndex() : a.getShape().dimension() == 1 ? new NDIndex(i)
                : new NDIndex(i, j);
    }

    static double element(NDArray a, int i, int j) {
        return a.get(at(a, i, j)).getDouble();
    }

    static void set(NDArray a, int i, int j, double v) {
        if (a.getShape().dimension() == 0) {
            a.muli(0).addi(v);
        } else {
            a.set(at(a, i, j), v);
        }
    }
}
