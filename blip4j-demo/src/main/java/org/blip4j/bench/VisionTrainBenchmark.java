package org.blip4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.model.VisionConfig;
import org.blip4j.model.VisionTransformer;
import org.blip4j.model.ModelInitializer;
import org.blip4j.nn.Parameter;
import org.blip4j.nn.ParameterSet;
import org.blip4j.nn.RecomputeTape;
import org.blip4j.train.Gradients;
import org.blip4j.util.MemoryStats;

/**
 * The image encoder's share of a training step: ViT forward + backward (loss = mean of the image embeddings) on
 * random weights and pixels, with the last {@code checkpointLayers} blocks under gradient checkpointing. Peak RSS
 * is the process's, so compare settings in separate processes.
 */
public final class VisionTrainBenchmark {
    private VisionTrainBenchmark() {
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    public static Map<String, Double> run(VisionConfig config, int batch, int steps, int checkpointLayers,
            NDManager manager) {
        Map<String, Double> out = new LinkedHashMap<>();
        ParameterSet ps = new ParameterSet();
        VisionTransformer vit = new VisionTransformer(ps, "vision_model", config);
        try {
            ModelInitializer.initialize(ps, manager, 0.02, 1);
            vit.checkpointLastBlocks(checkpointLayers);
            List<Parameter> params = List.copyOf(ps.parameters().values());
            Gradients.enable(params);
            double before = MemoryStats.rssMiB();
            int s = config.imageSize();
            Runnable step = () -> {
                try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager()) {
                    scope.suppressNotUsedWarning();
                    NDArray px = m.randomNormal(new Shape(batch, 3, s, s));
                    try (RecomputeTape tape = RecomputeTape.open();
                         GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                        gc.backward(vit.forward(px, true).mean());
                        tape.backward();
                    }
                }
                Gradients.clear(params);
            };
            step.run(); // warm-up
            long cpu0 = cpuNanos();
            double sec = Timing.medianSeconds(step, 0, steps);
            // process CPU time is what the step costs on a shared machine; wall time depends on the neighbours
            out.put("cpu_seconds_per_step", (cpuNanos() - cpu0) / 1e9 / steps);
            out.put("seconds_per_step", sec);
            out.put("images_per_s", batch / sec);
            out.put("rss_before_steps_mib", before);
        } finally {
            ps.close();
        }
        out.put("peak_rss_mib", MemoryStats.peakRssMiB());
        return out;
    }
}
