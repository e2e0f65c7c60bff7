package org.blip4j.ort;

import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX Runtime session, run one call at a time: concurrent calls would only compete for the same intra-op
 * threads, and serialised runs keep each run's division of work independent of what else is running.
 */
final class SessionRunner implements AutoCloseable {
    private final OrtSession session;

    SessionRunner(OrtSession session) {
        this.session = session;
    }

    synchronized OrtSession.Result run(Map<String, ? extends OnnxTensorLike> in) throws OrtException {
        return session.run(in);
    }

    /**
     * As {@link #run(Map)}, writing the outputs named in {@code pinned} into those tensors' own memory; the result
     * holds every output.
     */
    synchronized OrtSession.Result run(Map<String, ? extends OnnxTensorLike> in, Map<String, ? extends OnnxValue> pinned)
            throws OrtException {
        Set<String> allocated = new LinkedHashSet<>(session.getOutputNames());
        allocated.removeAll(pinned.keySet());
        return session.run(in, allocated, pinned);
    }

    /** Ends profiling when it was on (writes the per-node JSON), then releases the session. */
    @Override
    public synchronized void close() {
        try {
            if (System.getProperty("blip4j.ort.profile") != null) {
                session.endProfiling();
            }
            session.close();
        } catch (OrtException e) {
            // closing releases native memory; nothing else to do
        }
    }
}
