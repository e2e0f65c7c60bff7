package org.blip4j.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import org.blip4j.util.SystemFlags;

/**
 * The one place that starts the DJL PyTorch engine: offline unless the caller chose otherwise, with the thread
 * counts and device the user asked for. System properties must be set before the engine first loads, so every entry
 * point calls {@link #configure} before touching any tensor.
 */
public final class Engines {
    /** The libtorch version DJL's pytorch-jni in blip4j's dependencies was built for. */
    public static final String LIBTORCH = "2.7.1";
    private static volatile boolean configured;
    private static volatile int threads;
    private static volatile Inference inference = Inference.parse(System.getProperty("blip4j.engine", "auto"));

    /**
     * Which engine runs inference of loaded models: {@code onnx} (ONNX Runtime: faster CPU kernels and fused
     * attention, docs/BENCHMARKS.md), {@code torch} (libtorch, as training), {@code auto} (onnx on CPU, torch on
     * GPU). Training always runs on libtorch.
     */
    public enum Inference {
        AUTO, ONNX, TORCH;

        public static Inference parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown inference engine '" + s + "' (use auto, onnx or torch)");
            }
        }
    }

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
        Engines.threads = threads;
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        configured = true;
    }

    /** Set by {@code --quantize}; until then {@code -Dblip4j.int8=true|false} decides. */
    private static volatile Boolean int8;

    /** Opt-in int8 Linear layers in ONNX Runtime inference (faster, less exact; docs/BENCHMARKS.md). */
    public static void quantizeInt8(boolean on) {
        int8 = on;
    }

    public static boolean quantizeInt8() {
        Boolean chosen = int8;
        return chosen != null ? chosen : SystemFlags.bool("blip4j.int8", false);
    }

    /** Chooses the inference engine of models loaded from now on. */
    public static void inference(Inference choice) {
        inference = choice;
    }

    /** Whether models loaded for inference on {@code device} run in ONNX Runtime. */
    public static boolean onnxInference(Device device) {
        return inference == Inference.ONNX || (inference == Inference.AUTO && Device.Type.CPU.equals(
                device.getDeviceType()));
    }

    /** Intra-op threads for ONNX Runtime: the configured count, else one per available core (libtorch's default). */
    public static int inferenceThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /**
     * Whether a forward on this thread may be recorded for gradients: a GradientCollector is open (DJL allows one
     * per JVM) and this thread's libtorch grad mode is on. Grad mode alone does not tell: libtorch turns it on in
     * every new thread, and DJL turns it off only in the thread that started the engine.
     */
    public static boolean recordingGradients() {
        return ai.djl.pytorch.jni.JniUtils.isGradMode() && (COLLECTING == null || COLLECTING.get());
    }

    /** DJL's flag for an open PtGradientCollector (private; null if a DJL version renamed it: then grad mode only). */
    private static final java.util.concurrent.atomic.AtomicBoolean COLLECTING = collectingFlag();

    private static java.util.concurrent.atomic.AtomicBoolean collectingFlag() {
        try {
            java.lang.reflect.Field f = ai.djl.pytorch.engine.PtGradientCollector.class.getDeclaredField("isCollecting");
            f.setAccessible(true);
            return (java.util.concurrent.atomic.AtomicBoolean) f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The engine, configured with defaults if nobody configured it. */
    public static Engine engine() {
        if (!configured) {
            configure(-1);
        }
        try {
            return Engine.getEngine("PyTorch");
        } catch (RuntimeException e) {
            // blip4j-core does not bundle a libtorch: the application picks one (and nothing is downloaded)
            throw new IllegalStateException("the PyTorch engine did not start: no usable libtorch " + LIBTORCH
                    + ". Add the native jar for your platform, e.g. ai.djl.pytorch:pytorch-native-cpu:" + LIBTORCH
                    + " with classifier linux-x86_64 (or osx-aarch64, win-x86_64; pytorch-native-cuXXX for CUDA),"
                    + " or point PYTORCH_LIBRARY_PATH at a libtorch " + LIBTORCH + " directory", e);
        }
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
                        + "libtorch " + LIBTORCH + " to use a GPU");
            }
            return Device.gpu(id);
        }
        throw new IllegalArgumentException("unknown device '" + name + "' (use cpu or gpu[:N])");
    }

    public static NDManager newManager(Device device) {
        return engine().newBaseManager(device);
    }
}
