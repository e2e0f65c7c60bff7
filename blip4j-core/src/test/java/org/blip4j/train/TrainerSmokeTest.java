package org.blip4j.train;

import java.nio.file.Path;
import org.blip4j.engine.Engines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerSmokeTest {
    @TempDir
    Path tmp;

    @Test
    void pretrainRuns() throws Exception {
        TinyWorld w = new TinyWorld(tmp.resolve("world"), 64, 1);
        TrainConfig cfg = w.config("pretrain", "train_file=[human.json]", "max_steps=150", "init_lr=3e-4", "alpha=0", "momentum=0.9");
        try (var m = Engines.newManager(Engines.device("cpu"))) {
            long t0 = System.nanoTime();
            var r = Trainer.run(cfg, TrainingTask.PRETRAIN, tmp.resolve("run"), false, w.dir, m, new TrainingListener() {
                @Override
                public void onStep(StepMetrics s) {
                    if (s.step() % 10 == 0) System.out.println(s);
                }

                @Override
                public void onMessage(String msg) {
                    System.out.println(msg);
                }
            });
            System.out.println("took " + (System.nanoTime() - t0) / 1e9 + " s " + r);
        }
    }
}
