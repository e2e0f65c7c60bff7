package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import org.blip4j.engine.Engines;
import org.blip4j.testutil.Golden;
import org.junit.jupiter.api.Test;

/**
 * The one-pass updates against the libtorch operation chains they replace, on tensors spanning several chunks; the
 * native loops against the Java ones.
 */
class HostUpdatesTest {
    static final int N = 600_000; // three chunks of 2^18, the last one partial

    @Test
    void adamwEqualsTheLibtorchChain() {
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            NDArray w = m.randomNormal(new Shape(N));
            NDArray g = m.randomNormal(new Shape(N)).mul(0.01f);
            NDArray mean = m.randomNormal(new Shape(N)).mul(0.001f);
            NDArray var = m.randomUniform(0f, 1e-4f, new Shape(N));
            double lr = 3e-4;
            double wd = 0.05;
            double sqrtBc2 = Math.sqrt(1 - Math.pow(0.999, 3));
            double stepSize = lr / (1 - Math.pow(0.9, 3));
            // the chain AdamW runs where no view exists
            NDArray wRef = w.duplicate().muli(1 - lr * wd);
            NDArray mRef = mean.duplicate().muli(0.9).addi(g.mul(1 - 0.9));
            NDArray vRef = var.duplicate().muli(0.999).addi(g.mul(g).muli(1 - 0.999));
            wRef.subi(mRef.div(vRef.sqrt().divi(sqrtBc2).addi(1e-8)).muli(stepSize));

            HostUpdates.adamw(HostUpdates.view(w), HostUpdates.view(g), HostUpdates.view(mean), HostUpdates.view(var),
                    new HostUpdates.AdamWStep((float) (1 - lr * wd), 0.9f, (float) (1 - 0.9), 0.999f,
                            (float) (1 - 0.999), (float) sqrtBc2, 1e-8f, (float) stepSize));
            Golden.assertClose("first moment", mRef.toFloatArray(), mean.toFloatArray(), 1e-8);
            Golden.assertClose("second moment", vRef.toFloatArray(), var.toFloatArray(), 1e-10);
            Golden.assertClose("weights", wRef.toFloatArray(), w.toFloatArray(), 1e-6);
        }
    }

    @Test
    void movingAverageEqualsTheLibtorchChain() {
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            NDArray target = m.randomNormal(new Shape(N));
            NDArray source = m.randomNormal(new Shape(N));
            NDArray ref = target.duplicate().muli(0.995).addi(source.mul(1 - 0.995));
            HostUpdates.movingAverage(HostUpdates.view(target), HostUpdates.view(source), 0.995f, (float) (1 - 0.995));
            Golden.assertClose("momentum weights", ref.toFloatArray(), target.toFloatArray(), 1e-6);
        }
    }

    /** Views are the tensor's own memory; a transposed tensor has none, so AdamW keeps the libtorch chain for it. */
    @Test
    void viewsWriteThroughAndRefuseCopies() {
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            NDArray x = m.zeros(new Shape(4, 5));
            var view = HostUpdates.view(x);
            assertNotNull(view);
            view.put(7, 2.5f);
            assertEquals(2.5f, x.getFloat(1, 2));
            assertNull(HostUpdates.view(m.randomNormal(new Shape(4, 5)).transpose()));
            assertNull(HostUpdates.view(m.zeros(new Shape(3)).toType(ai.djl.ndarray.types.DataType.FLOAT64, false)));
        }
    }

    /** The build puts the native loops in the jar on Linux x86-64 (blip4j-core's pom), and they give the Java bits. */
    @Test
    void nativeLoopsLoadAndGiveTheJavaLoopsBits() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux") && "amd64".equals(System.getProperty("os.arch"))
                && !Boolean.getBoolean("blip4j.native.skip"));
        assertTrue(NativeUpdates.available(), "the build should have put " + NativeUpdates.resource() + " in the jar");
        var step = new HostUpdates.AdamWStep(0.999985f, 0.9f, 0.1f, 0.999f, 0.001f, 0.0547f, 1e-8f, 1.4e-4f);
        Random r = new Random(7);
        // lengths around the vector widths and across chunk boundaries
        for (int n : new int[] {1, 15, 17, 2051, 600_001}) {
            FloatBuffer[] nat = {gaussian(r, n, 1f), gaussian(r, n, 0.01f), gaussian(r, n, 0.001f),
                uniform(r, n, 1e-4f)};
            for (int i = 0; i < n; i += 97) {
                nat[3].put(i, 0f); // v = 0: the denominator is ε alone
                nat[1].put(i, 0f);
            }
            FloatBuffer[] java = copies(nat);
            HostUpdates.adamw(nat[0], nat[1], nat[2], nat[3], step);
            HostUpdates.adamwInJava(java[0], java[1], java[2], java[3], step);
            for (int k = 0; k < 4; k++) {
                assertArrayEquals(floats(java[k]), floats(nat[k]), "adamw, n=" + n + ", buffer " + k);
            }
            HostUpdates.movingAverage(nat[0], nat[2], 0.995f, 0.005f);
            HostUpdates.movingAverageInJava(java[0], java[2], 0.995f, 0.005f);
            assertArrayEquals(floats(java[0]), floats(nat[0]), "moving average, n=" + n);
        }
    }

    @Test
    void updatesRefuseBuffersOfDifferentLengthsAndRangesOutsideThem() {
        FloatBuffer a = gaussian(new Random(1), 10, 1f);
        FloatBuffer b = gaussian(new Random(2), 11, 1f);
        assertThrows(IllegalArgumentException.class, () -> HostUpdates.movingAverage(a, b, 0.5f, 0.5f));
        assumeTrue(NativeUpdates.available());
        // the native side checks too, so a wrong range cannot write outside the tensor
        assertThrows(IllegalArgumentException.class, () -> NativeUpdates.movingAverage(a, b, 0, 11, 0.5f, 0.5f));
        assertThrows(IllegalArgumentException.class, () -> NativeUpdates.movingAverage(a, a, -1, 3, 0.5f, 0.5f));
        assertThrows(IllegalArgumentException.class,
                () -> NativeUpdates.movingAverage(a, FloatBuffer.allocate(10), 0, 10, 0.5f, 0.5f));
    }

    private static FloatBuffer gaussian(Random r, int n, float scale) {
        FloatBuffer f = direct(n);
        for (int i = 0; i < n; i++) {
            f.put(i, (float) r.nextGaussian() * scale);
        }
        return f;
    }

    /** Values in [0, max): second moments are never negative. */
    private static FloatBuffer uniform(Random r, int n, float max) {
        FloatBuffer f = direct(n);
        for (int i = 0; i < n; i++) {
            f.put(i, r.nextFloat() * max);
        }
        return f;
    }

    private static FloatBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static FloatBuffer[] copies(FloatBuffer[] buffers) {
        FloatBuffer[] out = new FloatBuffer[buffers.length];
        for (int k = 0; k < buffers.length; k++) {
            out[k] = direct(buffers[k].capacity());
            out[k].put(0, floats(buffers[k]));
        }
        return out;
    }

    private static float[] floats(FloatBuffer f) {
        float[] out = new float[f.capacity()];
        f.get(0, out);
        return out;
    }
}
