package org.blip4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipModel;
import org.blip4j.model.ModelInitializer;
import org.blip4j.nn.Parameter;
import org.blip4j.nn.Scoped;
import org.blip4j.train.AdamW;
import org.blip4j.train.FeatureQueue;
import org.blip4j.train.Gradients;
import org.blip4j.train.MomentumModel;
import org.blip4j.train.NegativeSampler;
import org.blip4j.train.PretrainObjective;
import org.blip4j.train.TrainingTask;
import org.blip4j.util.MemoryStats;

/**
 * Pre-training throughput on random weights and inputs (text length 30): one step = momentum update, ITC + ITM +
 * LM forward, backward, AdamW. Data loading is left out so the figure is the model's.
 */
public final class TrainBenchmark {
    private TrainBenchmark() {
    }

    public static Map<String, Double> run(BlipConfig config, int batch, int steps, NDManager manager) {
        Map<String, Double> out = new LinkedHashMap<>();
        try (BlipModel model = new BlipModel(config, TrainingTask.PRETRAIN.parts, config.text().encoderHiddenSize(),
                manager, true)) {
            ModelInitializer.initialize(model.parameters(), manager, 0.02, 1);
            try (MomentumModel momentum = new MomentumModel(model, 0.995, manager);
                 FeatureQueue queue = FeatureQueue.random(manager, config.imageTextHiddenSize(), 8 * batch)) {
                List<Parameter> params = List.copyOf(model.parameters().parameters().values());
                Gradients.enable(params);
                AdamW opt = AdamW.withWeightDecay(0.05);
                int s = config.vision().imageSize();
                int len = 30;
                Runnable step = () -> {
                    momentum.update();
                    Scoped.inSubManager(manager, m -> {
                        NDArray px = m.randomNormal(new Shape(batch, 3, s, s));
                        NDArray ids = m.randomInteger(1000, 2000, new Shape(batch, len), DataType.INT64);
                        ids.set(new NDIndex(":, 0"), 101L);
                        NDArray mask = m.ones(new Shape(batch, len), DataType.INT64);
                        NDArray enc = ids.duplicate();
                        enc.set(new NDIndex(":, 0"), (long) config.text().bosTokenId() + 1);
                        NDArray dec = ids.duplicate();
                        dec.set(new NDIndex(":, 0"), (long) config.text().bosTokenId());
                        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                            var o = PretrainObjective.forward(model, momentum.model(), queue, px, ids, enc, dec, mask,
                                    dec, 0.4, 0.1, NegativeSampler.multinomial(new Random(1)), true);
                            queue.enqueue(o.imageFeatM(), o.textFeatM(), null);
                            gc.backward(o.total());
                        }
                    });
                    opt.step(params, 1e-5, manager);
                    Gradients.clear(params);
                };
                double sec = Timing.medianSeconds(step, 1, steps);
                out.put("samples_per_s", batch / sec);
                out.put("seconds_per_step", sec);
            }
        }
        out.put("peak_rss_mib", MemoryStats.peakRssMiB());
        return out;
    }
}
