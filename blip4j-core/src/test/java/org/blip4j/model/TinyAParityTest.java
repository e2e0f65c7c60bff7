package org.blip4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import org.blip4j.engine.Engines;
import org.blip4j.testutil.Fixtures;
import org.blip4j.testutil.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parity with the official BLIP on tiny-a, from the golden pixel_values and token ids (1e-4; probabilities and
 * losses 1e-5).
 */
class TinyAParityTest {
    static final double TOL = 1e-4;
    /** Probabilities and losses, as the fixture README suggests (hidden states and logits: {@link #TOL}). */
    static final double TOL_PROB = 1e-5;
    static NDManager manager;
    static BlipModel model;
    static Golden golden;

    @BeforeAll
    static void load() throws Exception {
        manager = Engines.newManager(Engines.device("cpu"));
        model = Fixtures.loadTinyAModel(manager);
        golden = Golden.tinyA();
    }

    @AfterAll
    static void close() {
        model.close();
        manager.close();
    }

    @Test
    void loadsEveryPart() {
        assertEquals(java.util.EnumSet.allOf(Part.class), model.parts());
    }

    @Test
    void visionEncoderMatches() {
        try (NDManager m = manager.newSubManager()) {
            NDArray emb = model.imageEmbeds(golden.get("pixel_values", m), false);
            Golden.assertClose("image_embeds", golden.get("image_embeds", m), emb, TOL);
        }
    }

    @Test
    void itcFeaturesAndSimilarityMatch() {
        try (NDManager m = manager.newSubManager()) {
            NDArray emb = golden.get("image_embeds", m);
            NDArray imageFeat = model.imageFeatures(emb);
            NDArray ids = golden.get("caption_input_ids", m);
            NDArray mask = golden.get("caption_attention_mask", m);
            Golden.assertClose("text_last_hidden", golden.get("text_last_hidden", m), model.textHidden(ids, mask, false),
                    TOL);
            NDArray textFeat = model.textFeatures(ids, mask, false);
            Golden.assertClose("image_feat", golden.get("image_feat", m), imageFeat, TOL);
            Golden.assertClose("text_feat", golden.get("text_feat", m), textFeat, TOL);
            NDArray sim = imageFeat.matMul(textFeat.transpose()).div(model.temperature());
            Golden.assertClose("sim_i2t", golden.get("sim_i2t", m), sim, TOL);
            Golden.assertClose("itc_cosine", golden.get("itc_cosine", m), imageFeat.matMul(textFeat.transpose()), TOL);
        }
    }

    @Test
    void itmLogitsMatchWithEncAndCls() {
        try (NDManager m = manager.newSubManager()) {
            NDArray emb = golden.get("image_embeds", m);
            NDArray mask = golden.get("caption_attention_mask", m);
            for (String variant : new String[] {"", "_cls"}) {
                NDArray ids = golden.get(variant.isEmpty() ? "itm_input_ids" : "caption_input_ids", m);
                NDList rows = new NDList();
                for (int i = 0; i < 4; i++) {
                    NDArray img = emb.get(new NDIndex("{}:{}", i, i + 1)).repeat(0, 5);
                    rows.add(model.itmLogits(ids, mask, img, false).expandDims(0));
                }
                NDArray logits = NDArrays.concat(rows, 0);
                Golden.assertClose("itm_logits" + variant, golden.get("itm_logits" + variant, m), logits, TOL);
                Golden.assertClose("itm_prob" + variant, golden.get("itm_prob" + variant, m),
                        logits.softmax(-1).get(":, :, 1"), TOL_PROB);
            }
        }
    }

    @Test
    void decoderLogitsAndLmLossMatch() {
        try (NDManager m = manager.newSubManager()) {
            NDArray emb = golden.get("lm_image_embeds", m);
            NDArray ids = golden.get("lm_input_ids", m);
            NDArray mask = golden.get("lm_attention_mask", m);
            NDArray labels = golden.get("lm_labels", m);
            NDArray logits = model.decoderLogits(ids, mask, emb, null, null, false);
            Golden.assertClose("lm_logits", golden.get("lm_logits", m), logits, TOL);
            Golden.assertClose("lm_loss", golden.get("lm_loss", m), LmLoss.mean(logits, labels, 0.1), TOL_PROB);
            Golden.assertClose("lm_loss_per_sample_sum", golden.get("lm_loss_per_sample_sum", m),
                    LmLoss.perSequence(logits, labels, 0.1), TOL_PROB);
            Golden.assertClose("lm_loss_no_smoothing", golden.get("lm_loss_no_smoothing", m),
                    LmLoss.mean(logits, labels, 0.0), TOL_PROB);
        }
    }
}
