package org.blip4j.train;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/** Runs code with autograd recording off (torch.no_grad), restoring the previous mode afterwards. */
final class NoGrad {
    private NoGrad() {
    }

    public static <T> T run(Supplier<T> body) {
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return body.get();
        } finally {
            JniUtils.setGradMode(was);
        }
    }

    public static void run(Runnable body) {
        run(() -> {
            body.run();
            return null;
        });
    }
}
