package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.engine.Engines;
import org.blip4j.model.BlipModelLoader;
import org.blip4j.nn.Init;
import org.blip4j.nn.Parameter;
import org.blip4j.nn.ParameterSet;
import org.junit.jupiter.api.Test;

/** AdamW against its formula, global-norm clipping, gradient accumulation and the schedules. */
class OptimizationTest {
    static Parameter param(ParameterSet ps, NDManager m, String name, float[] v) {
        Parameter p = ps.register(name, new Shape(v.length), Init.ZEROS);
        p.set(m.create(v));
        Gradients.enable(List.of(p));
        return p;
    }

    /** loss = Σ c_i·w_i² so that grad = 2·c·w. */
    static void backward(Parameter p, float[] c, double scale) {
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            NDArray w = p.array();
            NDArray loss = w.mul(w).mul(w.getManager().create(c)).sum().mul(scale);
            gc.backward(loss);
        }
    }

    @Test
    void adamwFollowsTorchFormula() {
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            ParameterSet ps = new ParameterSet();
            float[] w0 = {1.0f, -2.0f, 0.5f};
            float[] c = {1.0f, 0.5f, 3.0f};
            Parameter p = param(ps, m, "w", w0);
            AdamW opt = new AdamW(0.9, 0.999, 1e-8, 0.05);
            double[] w = {1.0, -2.0, 0.5};
            double[] mm = new double[3];
            double[] vv = new double[3];
            double lr = 0.1;
            for (int t = 1; t <= 5; t++) {
                backward(p, c, 1.0);
                opt.step(List.of(p), lr, m);
                Gradients.clear(List.of(p));
                for (int i = 0; i < 3; i++) {
                    double g = 2 * c[i] * w[i];
                    w[i] *= 1 - lr * 0.05;
                    mm[i] = 0.9 * mm[i] + 0.1 * g;
                    vv[i] = 0.999 * vv[i] + 0.001 * g * g;
                    double denom = Math.sqrt(vv[i]) / Math.sqrt(1 - Math.pow(0.999, t)) + 1e-8;
                    w[i] -= lr / (1 - Math.pow(0.9, t)) * mm[i] / denom;
                }
                float[] got = p.array().toFloatArray();
                for (int i = 0; i < 3; i++) {
                    assertEquals(w[i], got[i], 1e-5, "step " + t + " element " + i);
                }
            }
        }
    }

    @Test
    void globalNormClippingScalesAllGradientsTogether() {
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            ParameterSet ps = new ParameterSet();
            Parameter a = param(ps, m, "a", new float[] {3f, 0f});
            Parameter b = param(ps, m, "b", new float[] {-4f});
            backward(a, new float[] {0.5f, 1f}, 1.0);   // grad a = (3, 0)
            backward(b, new float[] {0.5f}, 1.0);       // grad b = (-4)
            double norm = Gradients.clipGlobalNorm(List.of(a, b), 1.0);
            assertEquals(5.0, norm, 1e-5);
            try (NDArray ga = a.array().getGradient(); NDArray gb = b.array().getGradient()) {
                assertEquals(0.6, ga.toFloatArray()[0], 1e-5);
                assertEquals(-0.8, gb.toFloatArray()[0], 1e-5, "negative gradients are clipped too");
            }
            assertEquals(1.0, Gradients.globalNorm(List.of(a, b)), 1e-5);
        }
    }

    @Test
    void accumulatedHalvesEqualOneFullBatch() {
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            ParameterSet ps = new ParameterSet();
            Parameter p = param(ps, m, "w", new float[] {1f, 2f});
            backward(p, new float[] {1f, 0f}, 0.5);
            backward(p, new float[] {0f, 1f}, 0.5);
            try (NDArray g = p.array().getGradient()) {
                assertEquals(1.0f, g.toFloatArray()[0], 1e-6);
                assertEquals(2.0f, g.toFloatArray()[1], 1e-6);
            }
            Gradients.clear(List.of(p));
            assertEquals(0.0, Gradients.globalNorm(List.of(p)), 0);
        }
    }

    @Test
    void clearedGradientsAreRewrittenNotAddedTo() {
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            ParameterSet ps = new ParameterSet();
            Parameter p = param(ps, m, "w", new float[] {1f, 2f});
            Parameter idle = param(ps, m, "idle", new float[] {5f});
            backward(p, new float[] {1f, 1f}, 1.0);
            NDArray before = p.array();
            Gradients.clear(List.of(p, idle));
            assertTrue(p.array() != before, "a new leaf handle");
            assertTrue(p.array().hasGradient());
            assertEquals(2f, p.array().toFloatArray()[1], 0, "values are untouched");
            p.array().set(new float[] {3f, 4f});
            backward(p, new float[] {1f, 1f}, 1.0);
            try (NDArray g = p.array().getGradient(); NDArray gi = idle.array().getGradient()) {
                assertEquals(6f, g.toFloatArray()[0], 1e-6, "2·w of this backward only");
                assertEquals(8f, g.toFloatArray()[1], 1e-6);
                assertEquals(0f, gi.toFloatArray()[0], 0, "no backward reached it: zero");
            }
        }
    }

    /**
     * A loaded parameter's values survive clearing after the direct buffer it was loaded from is collected: the
     * buffer freed under a cleared handle and reused for other data is how long training runs went NaN.
     */
    @Test
    void clearedParametersOutliveTheBufferTheyWereLoadedFrom() throws InterruptedException {
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            float[] v = new float[256];
            for (int i = 0; i < v.length; i++) {
                v[i] = i;
            }
            Parameter p = new ParameterSet().register("w", new Shape(v.length), Init.ZEROS);
            p.set(BlipModelLoader.toNDArray(RawTensor.ofFloats(v, v.length), m));
            Gradients.enable(List.of(p));
            Gradients.clear(List.of(p));
            List<ByteBuffer> reuse = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                System.gc();
                Thread.sleep(20);
                for (int k = 0; k < 100; k++) {
                    ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4);
                    while (b.hasRemaining()) {
                        b.put((byte) 0x7f);
                    }
                    reuse.add(b);
                }
            }
            assertArrayEquals(v, p.array().toFloatArray());
        }
    }

    @Test
    void schedulesMatchTheOriginalFormulas() {
        LrSchedule step = LrSchedule.stepDecayWithWarmup(3e-4, 1e-6, 0.9, 1e-6, 3000);
        assertEquals(1e-6, step.lr(0, 0, 100), 1e-12);
        assertEquals(1e-6 + (3e-4 - 1e-6) * 1500 / 3000, step.lr(0, 1500, 100), 1e-12);
        assertEquals(3e-4 * 0.9 * 0.9, step.lr(2, 99999, 100), 1e-12);
        LrSchedule cos = LrSchedule.cosinePerEpoch(1e-5, 0, 6);
        assertEquals(1e-5, cos.lr(0, 5, 100), 1e-15);
        assertEquals(0.5e-5, cos.lr(3, 5, 100), 1e-15);
        LrSchedule cs = LrSchedule.cosinePerStep(1e-3, 0, 10, 110);
        assertEquals(1e-4, cs.lr(0, 0, 100), 1e-12);
        assertEquals(0.5e-3, cs.lr(0, 60, 100), 1e-12);
        assertTrue(cs.lr(0, 110, 100) < 1e-12);
    }
}
