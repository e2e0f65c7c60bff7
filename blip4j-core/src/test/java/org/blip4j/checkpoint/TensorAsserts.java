package org.blip4j.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Map;

/** Exact and approximate tensor comparisons for checkpoint tests. */
final class TensorAsserts {
    private TensorAsserts() {
    }

    static byte[] bytes(RawTensor t) {
        ByteBuffer d = t.data().duplicate();
        byte[] b = new byte[d.remaining()];
        d.get(b);
        return b;
    }

    static void assertSameTensor(RawTensor expected, RawTensor actual, String name) {
        assertEquals(expected.dtype(), actual.dtype(), name + " dtype");
        assertArrayEquals(expected.shape(), actual.shape(), name + " shape");
        assertArrayEquals(bytes(expected), bytes(actual), name + " data");
    }

    static void assertSameTensors(Map<String, RawTensor> expected, Map<String, RawTensor> actual) {
        assertEquals(new java.util.TreeSet<>(expected.keySet()), new java.util.TreeSet<>(actual.keySet()));
        expected.forEach((k, v) -> assertSameTensor(v, actual.get(k), k));
    }

    static void assertClose(RawTensor expected, RawTensor actual, double tol, String name) {
        assertArrayEquals(expected.shape(), actual.shape(), name + " shape");
        float[] e = expected.toFloats();
        float[] a = actual.toFloats();
        double max = 0;
        for (int i = 0; i < e.length; i++) {
            max = Math.max(max, Math.abs(e[i] - a[i]));
        }
        assertTrue(max <= tol, name + ": max |diff| " + max + " > " + tol);
    }
}
