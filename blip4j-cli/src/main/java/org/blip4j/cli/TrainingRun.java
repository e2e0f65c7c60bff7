package org.blip4j.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;
import org.blip4j.data.EpochReport;
import org.blip4j.engine.Engines;
import org.blip4j.train.StepMetrics;
import org.blip4j.train.TrainConfig;
import org.blip4j.train.TrainingModel;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.blip4j.model.BlipConfigJson;
import org.blip4j.train.Trainer;
import org.blip4j.train.TrainingListener;
import org.blip4j.train.TrainingTask;

/** Runs a training task from CLI arguments with a progress bar (loss, lr, samples/s) on stderr. */
final class TrainingRun {
    private TrainingRun() {
    }

    static int run(TrainArgs args, TrainingTask task) throws Exception {
        TrainConfig cfg = TrainConfig.resolve(task, args.config, args.overrides);
        if (args.printConfig) {
            ObjectNode out = cfg.describe();
            ObjectNode model = out.putObject("model");
            ObjectNode planned = BlipConfigJson.toJson(TrainingModel.planned(cfg, task, Path.of("")));
            model.set("vision_config", planned.get("vision_config"));
            model.set("text_config", planned.get("text_config"));
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
            cfg.notes().forEach(n -> System.err.println("note: " + n));
            return 0;
        }
        if (args.out == null) {
            throw new IllegalArgumentException("--out is required to train (or give --print-config)");
        }
        cfg.notes().forEach(n -> System.err.println("note: " + n));
        var device = args.engine.start();
        Listener listener = new Listener();
        try (NDManager m = Engines.newManager(device)) {
            Trainer.Result r = Trainer.run(cfg, task, args.out, args.resume, Path.of(""), m, listener);
            listener.close();
            System.err.printf("done: %d steps; model in %s; metrics %s; plot %s%n", r.steps(), r.modelDir(),
                    r.metricsFile(), r.lossPlot());
        } finally {
            listener.close();
        }
        return 0;
    }

    /** Progress bar over optimiser steps; messages and epoch reports printed above it. */
    static final class Listener implements TrainingListener {
        private ProgressBar bar;

        @Override
        public void onStart(long totalSteps, long startStep) {
            bar = Progress.bar("train", totalSteps, "step", startStep);
        }

        @Override
        public void onStep(StepMetrics m) {
            if (bar != null) {
                bar.stepTo(m.step());
                bar.setExtraMessage(String.format(" loss %.3f lr %.2e %.1f samples/s", m.totalLoss(), m.lr(),
                        m.samplesPerSecond()));
            }
        }

        @Override
        public void onEpochEnd(EpochReport report) {
            message(report.summary());
        }

        @Override
        public void onMessage(String message) {
            message(message);
        }

        private void message(String s) {
            System.err.println("\r" + s);
        }

        void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
