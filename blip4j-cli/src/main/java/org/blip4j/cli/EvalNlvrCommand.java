package org.blip4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.blip4j.task.Nlvr;
import org.blip4j.task.NlvrEvaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code blip eval nlvr}: NLVR2 accuracy on dev/test files, as {@code train_nlvr.py:evaluate}. */
@Command(name = "nlvr", mixinStandardHelpOptions = true,
        description = "NLVR2 accuracy (arg-max of the True/False logits against the labels) on dev/test files.")
public final class EvalNlvrCommand implements Callable<Integer> {
    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--annotations", required = true, arity = "1..*", paramLabel = "FILE",
            description = "NLVR2 files, e.g. nlvr_dev.json nlvr_test.json")
    List<Path> annotations;

    @Option(names = "--image-root", paramLabel = "DIR", defaultValue = ".",
            description = "directory the image paths are under (default: ${DEFAULT-VALUE})")
    Path imageRoot;

    @Option(names = "--batch-size", defaultValue = "64", description = "official batch_size_test (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--json", description = "one JSON line per file")
    boolean json;

    @Option(names = "--raw-text", description = "skip pre_caption(sentence, 40)")
    boolean rawText;

    @Override
    public Integer call() throws Exception {
        int skipped = 0;
        try (Nlvr nlvr = modelArgs.loadNlvr()) {
            for (Path file : annotations) {
                NlvrEvaluator.Result r = NlvrBatch.run(nlvr, file, imageRoot, batchSize, !rawText);
                skipped += r.skipped().size();
                if (json) {
                    System.out.println(Json.line("annotations", file.toString(), "accuracy",
                            r.labelled() == 0 ? null : r.accuracy(), "correct", r.correct(), "labelled",
                            r.labelled(), "skipped", r.skipped().size()));
                } else {
                    System.out.println(NlvrBatch.summary(file, r));
                }
            }
        }
        return skipped == 0 ? 0 : 1;
    }
}
