package org.blip4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.NDManager;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs a block of tensor code in its own scope: every intermediate it creates is released when it returns, only
 * the result survives (handed to the enclosing scope, if any). Applied per layer, this keeps inference memory at
 * one layer's activations. Safe under autograd: libtorch's graph keeps its own references to saved tensors.
 */
public final class Scoped {
    private Scoped() {
    }

    /**
     * Runs {@code body} with a fresh sub-manager of {@code parent} inside its own {@link NDScope}: every array the
     * body creates is released when it returns (the sub-manager is closed too). For loops over batches.
     */
    public static void inSubManager(NDManager parent, Consumer<NDManager> body) {
        try (NDScope scope = new NDScope(); NDManager m = parent.newSubManager()) {
            scope.suppressNotUsedWarning();
            body.accept(m);
        }
    }

    /** As {@link #inSubManager(NDManager, Consumer)}, returning the body's (Java) result. */
    public static <T> T inSubManager(NDManager parent, Function<NDManager, T> body) {
        try (NDScope scope = new NDScope(); NDManager m = parent.newSubManager()) {
            scope.suppressNotUsedWarning();
            return body.apply(m);
        }
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
