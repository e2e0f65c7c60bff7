package org.blip4j.cli;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import me.tongfei.progressbar.ProgressBar;
import org.blip4j.engine.Engines;
import org.blip4j.train.TrainConfig;
import org.blip4j.train.nlvr.NlvrTrainConfig;
import org.blip4j.train.nlvr.NlvrTrainer;

/** {@code blip finetune nlvr}: NLVR2 fine-tuning with a progress bar (loss, lr) on stderr. */
final class NlvrTrainingRun {
    private NlvrTrainingRun() {
    }

    static int run(TrainArgs args) throws Exception {
        var device = args.engine.start();
        TrainConfig raw = TrainConfig.load(args.config).with(args.overrides);
        Path base = java.nio.file.Files.isRegularFile(Path.of(args.config))
                ? Path.of(args.config).toAbsolutePath().getParent() : Path.of("").toAbsolutePath();
        NlvrTrainConfig cfg = NlvrTrainConfig.of(raw, base);
        if (java.nio.file.Files.isRegularFile(args.out.resolve("state").resolve("state.json")) && !args.resume) {
            throw new IllegalArgumentException(args.out + " holds an NLVR2 run; pass --resume to continue it or"
                    + " choose another --out");
        }
        Listener listener = new Listener();
        try (NDManager m = Engines.newManager(device)) {
            NlvrTrainer.Result r = NlvrTrainer.run(cfg, args.out, m, listener);
            listener.close();
            System.err.printf("done: %d epochs; model in %s%s%n", r.epochs(), r.modelDir(),
                    r.valAccuracy().isEmpty() ? "" : "; val accuracy " + r.valAccuracy());
        } finally {
            listener.close();
        }
        return 0;
    }

    static final class Listener implements NlvrTrainer.Listener {
        private ProgressBar bar;

        @Override
        public void onStart(long totalSteps, long doneSteps) {
            bar = Progress.bar("nlvr", totalSteps, "step", doneSteps);
        }

        @Override
        public void onStep(long step, double loss, double lr) {
            if (bar != null) {
                bar.stepTo(step);
                bar.setExtraMessage(String.format(" loss %.3f lr %.2e", loss, lr));
            }
        }

        @Override
        public void onMessage(String message) {
            System.err.println("\r" + message);
        }

        void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
