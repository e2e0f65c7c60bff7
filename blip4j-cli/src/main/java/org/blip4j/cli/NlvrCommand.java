package org.blip4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.blip4j.image.ImageLoader;
import org.blip4j.task.Nlvr;
import org.blip4j.task.NlvrEvaluator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** NLVR2: does a sentence hold for a pair of images? One pair, or every pair of an annotation file. */
@Command(name = "nlvr", mixinStandardHelpOptions = true,
        description = "NLVR2: True/False for a sentence about two images (one pair, or an nlvr_*.json file).")
public final class NlvrCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--image0", paramLabel = "FILE", description = "the left image")
    Path image0;

    @Option(names = "--image1", paramLabel = "FILE", description = "the right image")
    Path image1;

    @Option(names = "--sentence", description = "the statement about the two images")
    String sentence;

    @Option(names = "--annotations", paramLabel = "FILE",
            description = "batch: NLVR2 file [{\"images\": [a, b], \"sentence\", \"label\"}]")
    Path annotations;

    @Option(names = "--image-root", paramLabel = "DIR", defaultValue = ".",
            description = "directory the annotation's image paths are under (default: ${DEFAULT-VALUE})")
    Path imageRoot;

    @Option(names = "--out", paramLabel = "FILE", description = "batch: write every prediction here (JSON array)")
    Path out;

    @Option(names = "--batch-size", defaultValue = "16", description = "pairs per forward pass (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--json", description = "print JSON: one object per pair, or the batch summary")
    boolean json;

    @Option(names = "--raw-text", description = "skip pre_caption(sentence, 40) (applied by default, as the"
            + " official NLVR2 dataset does)")
    boolean rawText;

    @Override
    public Integer call() throws Exception {
        boolean single = image0 != null || image1 != null || sentence != null;
        if (single == (annotations != null)) {
            throw new ParameterException(spec.commandLine(),
                    "give either --image0, --image1 and --sentence, or --annotations FILE");
        }
        if (single && (image0 == null || image1 == null || sentence == null)) {
            throw new ParameterException(spec.commandLine(), "a single pair needs --image0, --image1 and --sentence");
        }
        try (Nlvr nlvr = modelArgs.loadNlvr()) {
            if (single) {
                Nlvr.Prediction p = nlvr.predict(List.of(new Nlvr.Example(ImageLoader.load(image0),
                        ImageLoader.load(image1), sentence)), !rawText).get(0);
                if (json) {
                    System.out.println(Json.MAPPER.writeValueAsString(NlvrBatch.json(image0.toString(),
                            image1.toString(), sentence, p)));
                } else {
                    System.out.printf(java.util.Locale.ROOT, "%s\t(logits false %.4f, true %.4f)%n",
                            p.prediction() ? "True" : "False", p.logitFalse(), p.logitTrue());
                }
                return 0;
            }
            NlvrEvaluator.Result r = NlvrBatch.run(nlvr, annotations, imageRoot, batchSize, !rawText);
            if (out != null) {
                NlvrBatch.write(out, r);
            }
            if (json) {
                System.out.println(Json.line("annotations", annotations.toString(), "accuracy",
                        r.labelled() == 0 ? null : r.accuracy(), "correct", r.correct(), "labelled", r.labelled(),
                        "scored", r.rows().size(), "skipped", r.skipped().size()));
            } else {
                System.out.println(NlvrBatch.summary(annotations, r));
            }
            return r.skipped().isEmpty() ? 0 : 1;
        }
    }
}
