package org.blip4j.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EnginesTest {
    @Test
    void cpuEngineComputesOffline() {
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            NDArray a = m.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            assertArrayEquals(new float[] {7, 10, 15, 22}, a.matMul(a).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void unknownDeviceIsAClearError() {
        assertThrows(IllegalArgumentException.class, () -> Engines.device("tpu"));
        if (Engines.engine().getGpuCount() == 0) {
            assertThrows(IllegalArgumentException.class, () -> Engines.device("gpu"));
        }
        org.junit.jupiter.api.Assertions.assertEquals(Device.cpu(), Engines.device("cpu"));
    }
}
