package org.blip4j.testutil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Map;
import org.blip4j.checkpoint.DType;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.checkpoint.Safetensors;
import org.blip4j.model.BlipModelLoader;

/** Golden tensors of a parity fixture and the comparison rule of the acceptance criteria. */
public final class Golden {
    private final Map<String, RawTensor> tensors;

    public Golden(Path file) {
        this.tensors = Safetensors.readOrThrow(file);
    }

    public static Golden tinyA() {
        return new Golden(Fixtures.tinyA().resolve("golden.safetensors"));
    }

    public RawTensor raw(String name) {
        RawTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("golden tensor '" + name + "' not found");
        }
        return t;
    }

    public NDArray get(String name, NDManager m) {
        RawTensor t = raw(name);
        if (t.dtype() == DType.I64) {
            return m.create(t.toLongs(), new Shape(t.shape()));
        }
        return BlipModelLoader.toNDArray(t, m);
    }

    public float[] floats(String name) {
        return raw(name).toFloats();
    }

    public long[] longs(String name) {
        return raw(name).toLongs();
    }

    /**
     * Max abs difference, relative for |expected| > 1, must be within tol; shapes must agree.
     */
    public static double assertClose(String what, float[] expected, float[] actual, double tol) {
        assertTrue(expected.length == actual.length, what + ": length " + actual.length + " vs " + expected.length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isInfinite(e) && e == a) {
                continue;
            }
            double diff = Math.abs(e - a) / Math.max(1.0, Math.abs(e));
            if (!(diff <= worst)) {
                worst = diff;
                at = i;
            }
        }
        final double w = worst;
        final int idx = at;
        assertTrue(w <= tol, () -> what + ": max diff " + w + " at " + idx + " (expected " + expected[idx]
                + ", got " + actual[idx] + ") exceeds " + tol);
        return worst;
    }

    public static double assertClose(String what, NDArray expected, NDArray actual, double tol) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), what + ": shape");
        return assertClose(what, expected.toType(DataType.FLOAT32, false).toFloatArray(),
                actual.toType(DataType.FLOAT32, false).toFloatArray(), tol);
    }
}
