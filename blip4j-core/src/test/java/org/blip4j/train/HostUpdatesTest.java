package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.blip4j.engine.Engines;
import org.blip4j.testutil.Golden;
import org.junit.jupiter.api.Test;

/** The one-pass updates against the libtorch operation chains they replace, on tensors spanning several chunks. */
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
}
