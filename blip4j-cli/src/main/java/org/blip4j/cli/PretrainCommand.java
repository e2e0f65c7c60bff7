package org.blip4j.cli;

import java.util.concurrent.Callable;
import org.blip4j.train.TrainingTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** BLIP pre-training: ITC + ITM + LM. */
@Command(name = "pretrain", mixinStandardHelpOptions = true,
        description = "Pre-train BLIP (ITC with momentum distillation + ITM with hard negatives + LM).")
public final class PretrainCommand implements Callable<Integer> {
    @Mixin
    TrainArgs args;

    @Override
    public Integer call() throws Exception {
        return TrainingRun.run(args, TrainingTask.PRETRAIN);
    }
}
