package org.blip4j.cli;

import ai.djl.Device;
import org.blip4j.engine.Engines;
import picocli.CommandLine.Option;

/** Options every command that runs the model shares. */
public final class EngineOptions {
    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu[:N] (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--threads", defaultValue = "0",
            description = "intra-op threads (default: all cores)")
    int threads;

    @Option(names = "--engine", defaultValue = "auto",
            description = "inference engine: onnx (ONNX Runtime), torch (libtorch) or auto = onnx on CPU, torch on GPU"
                    + " (default: ${DEFAULT-VALUE}); training always uses libtorch")
    String inference;

    @Option(names = "--quantize", description = "int8: Linear layers in int8 in ONNX Runtime inference (faster, less"
            + " exact; never the default; docs/BENCHMARKS.md gives its accuracy cost)")
    String quantize;

    @Option(names = {"-v", "--verbose"}, description = "show engine logging")
    boolean verbose;

    /** Configures the engine (before any tensor exists) and returns the device. */
    public Device start() {
        Engines.configure(threads);
        Engines.inference(Engines.Inference.parse(inference));
        if (quantize != null) {
            if (!quantize.equals("int8")) {
                throw new IllegalArgumentException("--quantize: only int8 is supported, got '" + quantize + "'");
            }
            Engines.quantizeInt8(true);
        }
        return Engines.device(device);
    }
}
