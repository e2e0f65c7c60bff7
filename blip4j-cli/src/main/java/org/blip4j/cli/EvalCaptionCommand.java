package org.blip4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.blip4j.eval.CaptionPredictions;
import org.blip4j.eval.CaptionReferences;
import org.blip4j.eval.CaptionScores;
import org.blip4j.task.Blip;
import org.blip4j.task.CaptionEvaluation;
import org.blip4j.task.CaptionEvaluationSplit;
import org.blip4j.task.CaptionOptions;
import org.blip4j.task.Captioner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code blip eval caption}: generate captions for a split and score them, or score an existing result file
 * ({@code --predictions}). Scores are pycocoevalcap's BLEU-1..4, ROUGE-L and CIDEr.
 */
@Command(name = "caption", mixinStandardHelpOptions = true, modelTransformer = EvalCaptionCommand.ModelOptional.class,
        description = {"Caption metrics (BLEU-1..4, ROUGE-L, CIDEr) of generated or given captions.",
            "  generate and score:  --model M --data ANN --images ROOT [decoding options] [--out PRED.json]",
            "  score a result file: --predictions FILE --data ANN"})
public final class EvalCaptionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs modelArgs;

    @Mixin
    CaptionCommand.DecodingArgs decoding;

    @Option(names = "--data", required = true, paramLabel = "ANN",
            description = "references: COCO caption file ({\"images\", \"annotations\"}) or Karpathy-style list")
    Path data;

    @Option(names = "--images", paramLabel = "ROOT", description = "image root (when generating)")
    Path images;

    @Option(names = "--predictions", paramLabel = "FILE",
            description = "score these captions ([{\"image_id\", \"caption\"}]) instead of generating")
    Path predictions;

    @Option(names = "--out", paramLabel = "PRED.json", description = "save the generated captions (BLIP's format)")
    Path out;

    @Option(names = "--batch-size", defaultValue = "8", description = "images decoded together")
    int batchSize;

    @Option(names = "--json", description = "one JSON object keyed as pycocoevalcap: Bleu_1 ... CIDEr")
    boolean json;

    @Override
    public Integer call() throws Exception {
        CaptionReferences references;
        CaptionPredictions preds;
        if (predictions != null) {
            if (modelArgs.model != null || images != null || out != null) {
                throw new ParameterException(spec.commandLine(),
                        "--predictions scores existing captions: drop --model/--images/--out (or drop --predictions "
                                + "to generate)");
            }
            references = CaptionEvaluationSplit.readReferences(data);
            preds = CaptionPredictions.read(predictions);
        } else {
            if (modelArgs.model == null || images == null) {
                throw new ParameterException(spec.commandLine(),
                        "give --model and --images to generate captions, or --predictions FILE to score existing ones");
            }
            CaptionEvaluationSplit split = CaptionEvaluationSplit.read(data, images);
            references = split.references();
            preds = generate(split);
            if (out != null) {
                CaptionEvaluation.writePredictions(preds, out);
            }
        }
        CaptionScores scores = CaptionEvaluation.score(references, preds);
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(scores.corpus()));
        } else {
            System.out.print(scores.toTable());
        }
        return 0;
    }

    private CaptionPredictions generate(CaptionEvaluationSplit split) throws Exception {
        try (Blip blip = modelArgs.load();
             ProgressBar bar = Progress.bar("caption", split.images().size(), "img")) {
            CaptionOptions options = new CaptionOptions(decoding.options(), decoding.prompt, true, batchSize);
            return new CaptionEvaluation(new Captioner(blip, options)).generate(split, bar::stepBy);
        }
    }

    /** {@code --model} comes from the shared {@link ModelArgs}, where it is required; here only generating needs it. */
    public static final class ModelOptional implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            OptionSpec model = spec.findOption("--model");
            spec.remove(model);
            spec.addOption(model.toBuilder().required(false).build());
            return spec;
        }
    }
}
