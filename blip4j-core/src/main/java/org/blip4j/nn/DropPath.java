package org.blip4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/** Stochastic depth (timm DropPath): drops a whole residual branch per sample while training. */
public final class DropPath {
    private DropPath() {
    }

    public static NDArray apply(NDArray x, double rate, boolean training) {
        if (!training || rate <= 0) {
            return x;
        }
        return x.mul(mask(x, rate));
    }

    /** The per-sample keep mask (0 or 1/keep), shaped (B, 1, …, 1). */
    public static NDArray mask(NDArray x, double rate) {
        double keep = 1 - rate;
        long[] shape = new long[x.getShape().dimension()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = x.getShape().get(0);
        return x.getManager().randomUniform(0f, 1f, new Shape(shape), DataType.FLOAT32, x.getDevice())
                .lt(keep).toType(DataType.FLOAT32, false).div(keep);
    }
}
