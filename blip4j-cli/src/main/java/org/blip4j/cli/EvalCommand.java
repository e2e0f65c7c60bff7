package org.blip4j.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code blip eval retrieval|caption|vqa}: the paper's metrics on a test split. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate retrieval (TR@K/IR@K), captioning (BLEU, ROUGE-L, CIDEr) or VQA accuracy.",
        subcommands = {EvalRetrievalCommand.class, EvalRetrievalVideoCommand.class, EvalCaptionCommand.class,
            EvalVqaCommand.class,
            EvalNlvrCommand.class})
public final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: retrieval, retrieval-video, caption, vqa or nlvr");
    }
}
