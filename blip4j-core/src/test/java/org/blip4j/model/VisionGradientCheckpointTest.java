package org.blip4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.Map;
import org.blip4j.engine.Engines;
import org.blip4j.nn.Parameter;
import org.blip4j.nn.ParameterSet;
import org.blip4j.nn.RecomputeTape;
import org.junit.jupiter.api.Test;

/**
 * ViT gradient checkpointing (vit_grad_ckpt / vit_ckpt_layer) recomputes the last blocks in backward and gives the
 * gradients of the plain path, including with drop path (its masks are replayed) and with every block checkpointed.
 */
class VisionGradientCheckpointTest {

    @Test
    void checkpointedGradientsEqualThePlainPath() {
        for (int layers : new int[] {1, 2, 3}) {
            Map<String, float[]> plain = gradients(0, 0.2);
            Map<String, float[]> ckpt = gradients(layers, 0.2);
            assertEquals(plain.keySet(), ckpt.keySet());
            double worst = 0;
            for (String k : plain.keySet()) {
                float[] a = plain.get(k);
                float[] b = ckpt.get(k);
                double w = 0;
                for (int i = 0; i < a.length; i++) {
                    w = Math.max(w, Math.abs(a[i] - b[i]));
                }
                worst = Math.max(worst, w);
            }
            assertTrue(worst <= 1e-5, "checkpointing the last " + layers + " blocks: max |grad diff| " + worst);
            // the gradients are real: the first block (before the segment) and the last (inside it) both move
            assertTrue(norm(ckpt.get("v.encoder.layers.0.mlp.fc1.weight")) > 1e-3);
            assertTrue(norm(ckpt.get("v.encoder.layers.2.self_attn.qkv.weight")) > 1e-3);
            assertTrue(norm(ckpt.get("v.embeddings.patch_embedding.weight")) > 1e-3);
        }
    }

    static double norm(float[] g) {
        double s = 0;
        for (float v : g) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** Gradients of sum(out · w) for a fixed random w, after one backward (and the tape's, when checkpointing). */
    static Map<String, float[]> gradients(int checkpointLayers, double dropPath) {
        VisionConfig cfg = new VisionConfig(32, 64, 3, 4, 32, 8, 3, 1e-6, 0.0, dropPath, 0.02);
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            ParameterSet ps = new ParameterSet();
            VisionTransformer vit = new VisionTransformer(ps, "v", cfg);
            ModelInitializer.initialize(ps, m, 0.2, 7);
            vit.checkpointLastBlocks(checkpointLayers);
            for (Parameter p : ps.parameters().values()) {
                p.array().setRequiresGradient(true);
            }
            Engine.getEngine("PyTorch").setRandomSeed(11);
            NDArray pixels = m.randomNormal(new Shape(4, 3, 32, 32));
            NDArray weight = m.randomNormal(new Shape(4, 17, 32));
            Engine.getEngine("PyTorch").setRandomSeed(5);
            try (RecomputeTape tape = RecomputeTape.open();
                 GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray loss = vit.forward(pixels, true).mul(weight).sum();
                gc.backward(loss);
                tape.backward();
                assertEquals(checkpointLayers == 0 ? 0 : 1, tape.segments(), "segments on the tape");
            }
            for (Map.Entry<String, Parameter> e : ps.parameters().entrySet()) {
                out.put(e.getKey(), e.getValue().array().getGradient().toFloatArray());
            }
            ps.close();
        }
        return out;
    }
}
