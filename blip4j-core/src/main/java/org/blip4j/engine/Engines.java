package org.blip4j.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

/**
 * The one place that starts the DJL PyTorch engine: offline unless the caller chose otherwise, with the thread
 * counts and device the user asked for. System properties must be set before the engine first loads, so every entry
 * point calls {@link #configure} before touching any tensor.
 */
public final class Engines {
    private static volatile boolean configured;

    private Engines() {
    }

    /**
     * Sets engine properties. {@code ai.djl.offline} becomes true only when the caller has not set it (blip4j
     * never downloads engine files). {@code threads <= 0} keeps libtorch's default. Safe to call more than once;
     * only the first call before the engine loads has an effect on threads.
     */
    public static synchronized void configure(int threads) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        configured = true;
    }

    /** The engine, configured with defaults if nobody configured it. */
    public static Engine engine() {
        if (!configured) {
            configure(-1);
        }
        return Engine.getEngine("PyTorch");
    }

    /** Parses "cpu", "gpu", "gpu:1", "cuda"; fails clearly when no GPU is present. */
    public static Device device(String name) {
        String n = name == null ? "cpu" : name.trim().toLowerCase(java.util.Locale.ROOT);
        Engine engine = engine();
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        if (n.startsWith("gpu") || n.startsWith("cuda")) {
            int id = n.contains(":") ? Integer.parseInt(n.substring(n.indexOf(':') + 1)) : 0;
            if (engine.getGpuCount() <= id) {
                throw new IllegalArgumentException("device '" + name + "' requested but the PyTorch engine sees "
                        + engine.getGpuCount() + " GPU(s); set PYTORCH_LIBRARY_PATH/PYTORCH_FLAVOR to a CUDA "
                        + "libtorch 2.7.1 to use a GPU");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("unknown device '" + name + "' (use cpu or gpu[:N])");
    }

    public static NDManager newManager(Device device) {
        return engine().newBaseManager(device);
    }
}
