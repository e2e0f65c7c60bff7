package org.blip4j.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.concurrent.Callable;
import org.blip4j.bench.ModelBenchmark;
import org.blip4j.demo.ShapesModel;
import org.blip4j.engine.Engines;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.ModelPresets;
import org.blip4j.train.AdamW;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Throughput benchmarks on random weights; figures go to docs/BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the model on random weights (vision images/s, ITM pairs/s, peak RSS).")
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;

    @Option(names = "--size", defaultValue = "base", description = "model preset: base, large, tiny, or the demo's "
            + "shapes")
    String size;

    @Option(names = "--image-size", defaultValue = "384", description = "input resolution")
    int imageSize;

    @Option(names = "--batch", defaultValue = "8")
    int batch;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs (median reported)")
    int runs;

    @Option(names = "--what", defaultValue = "model",
            description = "model (vision images/s, ITM pairs/s), caption (beam search), train (pre-training steps), "
                    + "vit-train (image encoder forward + backward), nlvr (NLVR2 pairs/s), video (video retrieval "
                    + "per video of --frames frames)")
    String what;

    @Option(names = "--beams", defaultValue = "3") int beams;
    @Option(names = "--new-tokens", defaultValue = "16") int newTokens;
    @Option(names = "--steps", defaultValue = "10", description = "timed training steps") int steps;
    @Option(names = "--vit-ckpt-layer", defaultValue = "0",
            description = "vit-train: gradient checkpointing of the last N ViT blocks (0 = off)") int vitCkptLayer;
    @Option(names = "--frames", defaultValue = "8", description = "frames per video (video)") int frames;

    @Override
    public Integer call() {
        var device = engine.start();
        BlipConfig cfg = size.equals("shapes") ? ShapesModel.config(imageSize, 30524)
                : ModelPresets.named(size, imageSize, 30524);
        try (NDManager m = Engines.newManager(device)) {
            Map<String, Double> r = switch (what) {
                case "model" -> ModelBenchmark.run(cfg, batch, runs, m);
                case "caption" -> org.blip4j.bench.CaptionBenchmark.run(cfg, batch, beams, newTokens, runs, m);
                case "train" -> org.blip4j.bench.TrainBenchmark.run(cfg, batch, steps, m);
                case "vit-train" -> org.blip4j.bench.VisionTrainBenchmark.run(cfg.vision(), batch, steps, vitCkptLayer,
                        m);
                case "nlvr" -> org.blip4j.bench.NlvrBenchmark.run(cfg, batch, runs, m);
                case "video" -> org.blip4j.bench.VideoBenchmark.run(cfg, frames, batch, runs, m);
                default -> throw new IllegalArgumentException(
                        "--what must be model, caption, train, vit-train, nlvr or video");
            };
            System.out.printf("%s: model %s @%d, batch %d, threads %s, device %s%s%n", what, size, imageSize, batch,
                    engine.threads > 0 ? engine.threads : "default", device, whatRan(device));
            r.forEach((k, v) -> System.out.printf("  %-22s %.2f%n", k, v));
        }
        return 0;
    }

    /** The header's last part: which engine ran inference, or which loops ran training's parameter updates. */
    private String whatRan(Device device) {
        return switch (what) {
            case "model", "caption" -> !Engines.onnxInference(device) ? ", engine torch"
                    : Engines.quantizeInt8() ? ", engine onnx int8" : ", engine onnx";
            case "train" -> AdamW.updatesRunNatively() ? ", parameter updates native" : ", parameter updates java";
            default -> "";
        };
    }
}
