package org.blip4j.cli;

import java.util.concurrent.Callable;
import org.blip4j.train.TrainingTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Fine-tuning: the captioner (LM with the prompt masked), the filter (ITC + ITM with image ids) or a VQA model
 * (weighted answer LM over question states).
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune a captioner (caption), a filter (retrieval), a question answerer (vqa) or an NLVR2"
                + " model (nlvr).")
public final class FinetuneCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TASK", description = "caption | retrieval | vqa | nlvr")
    String task;

    @Mixin
    TrainArgs args;

    @Override
    public Integer call() throws Exception {
        if (task.trim().equalsIgnoreCase("nlvr")) {
            return NlvrTrainingRun.run(args);
        }
        TrainingTask t = TrainingTask.parse(task);
        if (t == TrainingTask.PRETRAIN) {
            throw new IllegalArgumentException("use 'blip pretrain' for pre-training");
        }
        return TrainingRun.run(args, t);
    }
}
