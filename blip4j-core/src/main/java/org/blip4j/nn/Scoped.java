package org.blip4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import java.util.function.Supplier;

/**
 * Runs a block of tensor code in its own scope: every intermediate it creates is released when it returns, only
 * the result survives (handed to the enclosing scope, if any). Applied per layer, this keeps inference memory at
 * one layer's activations. Safe under autograd: libtorch's graph keeps its own references to saved tensors.
 */
public final class Scoped {
    private Scoped() {
    }

    public static NDArray run(Supplier<NDArray> body) {
        NDArray out;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            out = body.get();
            NDScope.unregister(out);
        }
        NDScope.register(out);
        return out;
    }
}
