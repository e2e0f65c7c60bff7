package org.blip4j.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** np.arange(0, vlen, vlen / n, dtype=int), as data/video_dataset.py samples 'uniform' frames. */
class FrameSamplingTest {
    @Test
    void stepsByTheFlooredStepFromZero() {
        assertArrayEquals(new int[] {0, 10, 20, 30, 40, 50, 60, 70}, FrameSampling.uniform(80, 8));
        // numpy: int(0 + 83/8) = 10, then steps of 10 (not round(i * 10.375))
        assertArrayEquals(new int[] {0, 10, 20, 30, 40, 50, 60, 70}, FrameSampling.uniform(83, 8));
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 0, 0, 0}, FrameSampling.uniform(4, 8));
        assertArrayEquals(new int[] {0, 1, 2}, FrameSampling.uniform(3, 3));
        assertThrows(IllegalArgumentException.class, () -> FrameSampling.uniform(0, 8));
    }
}
