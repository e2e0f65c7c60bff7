package org.blip4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.blip4j.engine.Engines;
import org.junit.jupiter.api.Test;

/**
 * Scalar ops keep their operand alive for the backward pass. DJL's x.mul(Number) wraps the number in a
 * Java-buffer-backed tensor that it closes at once; after a GC reclaims that buffer and the memory is reused, the
 * backward pass multiplies by whatever now lives there. Here a GC and a flood of fresh buffers filled with 7s run
 * between forward and backward, so a dangling operand shows up as a wrong gradient.
 */
class ScalarOpsAutogradTest {

    private static float gradientAfterReuse(BiFunction<NDArray, Double, NDArray> op, double v) {
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            NDArray x = m.create(new float[] {1f, 2f, 3f}, new Shape(3));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray y = op.apply(x, v).sum();
                for (int round = 0; round < 3; round++) {
                    System.gc();
                    List<ByteBuffer> flood = new ArrayList<>();
                    for (int i = 0; i < 20_000; i++) {
                        ByteBuffer b = ByteBuffer.allocateDirect(4).order(java.nio.ByteOrder.nativeOrder());
                        b.putFloat(0, 7f);
                        flood.add(b);
                    }
                    flood.clear();
                }
                gc.backward(y);
            }
            return x.getGradient().getFloat(0);
        }
    }

    @Test
    void mulKeepsItsScalarForBackward() {
        assertEquals(3f, gradientAfterReuse(Ops::mul, 3.0), 0f);
    }

    @Test
    void divKeepsItsScalarForBackward() {
        assertEquals(0.25f, gradientAfterReuse(Ops::div, 4.0), 0f);
    }

    @Test
    void maximumKeepsItsScalarForBackward() {
        // x = (1, 2, 3) against 1.5: the first element takes the scalar, so d/dx0 = 0
        assertEquals(0f, gradientAfterReuse(Ops::maximum, 1.5), 0f);
    }
}
