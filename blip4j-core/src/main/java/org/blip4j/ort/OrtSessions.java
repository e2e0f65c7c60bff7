package org.blip4j.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.blip4j.util.SystemFlags;

/** Creates ONNX Runtime sessions from graphs built in memory, with the process's thread settings. */
final class OrtSessions {
    private OrtSessions() {
    }

    /**
     * {@code -Dblip4j.ort.arena=false} gives activations back to the system after every run instead of keeping
     * ONNX Runtime's arena at its high-water mark: about 1.2 GiB less for the base model's benchmark, the vision pass
     * about 9% slower (docs/INFERENCE.md). On by default.
     */
    static boolean arena() {
        return SystemFlags.bool("blip4j.ort.arena", true);
    }

    static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    /**
     * {@code threads} intra-op threads and no spinning: the worker threads sleep between runs instead of
     * busy-waiting, which would take the cores away from libtorch's own threads between ONNX Runtime calls.
     */
    static SessionRunner create(String name, byte[] model, int threads) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(Math.max(1, threads));
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setCPUArenaAllocator(arena());
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            String profile = System.getProperty("blip4j.ort.profile");
            if (profile != null) {
                // per-node timings as Chrome-trace JSON (one file per session): docs/BENCHMARKS.md's native profile
                options.enableProfiling(profile);
            }
            OrtSession session = environment().createSession(model, options);
            // the serialised graph (hundreds of MB of weights) is garbage now; a full collection lets the JVM give
            // that heap back instead of keeping it as the process's peak for its lifetime
            System.gc();
            return new SessionRunner(session);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not load blip4j's " + name + " graph: "
                    + e.getMessage(), e);
        }
    }
}
