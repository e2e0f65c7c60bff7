package org.blip4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.blip4j.task.Blip;
import org.blip4j.task.Matcher;
import org.blip4j.task.TextOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Scores every image against every text with ITM (and ITC where the model has projections). */
@Command(name = "itm", mixinStandardHelpOptions = true,
        description = "Image-text matching: ITM match probability and ITC cosine for every image × text.")
public final class ItmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--image", required = true, arity = "1..*", description = "image files or directories")
    List<Path> images;

    @Option(names = "--text", required = true, arity = "1..*", description = "texts to score")
    List<String> texts;

    @Option(names = "--json", description = "one JSON line per pair")
    boolean json;

    @Option(names = "--raw-text", description = "feed the texts as given (the default, as BLIP_ITM.forward and HF's "
            + "BlipProcessor do)")
    boolean rawText;

    @Option(names = "--pre-caption", description = "normalise the texts with BLIP's pre_caption first (lower case, "
            + "punctuation to spaces, at most 30 words), as BLIP's retrieval datasets do")
    boolean preCaption;

    @Override
    public Integer call() throws Exception {
        if (rawText && preCaption) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--raw-text and --pre-caption exclude each other");
        }
        ImageBatchReader reader = new ImageBatchReader();
        ImageBatchReader.Loaded loaded = reader.read(ImageInputs.expand(images));
        try (Blip blip = modelArgs.load()) {
            TextOptions to = new TextOptions(preCaption, 30, 35);
            Matcher matcher = new Matcher(blip, to, 16);
            Matcher.PairScore[][] s = matcher.scoreAll(loaded.images(), texts);
            if (!json) {
                System.out.println("image\ttext\titm\titc");
            }
            for (int i = 0; i < loaded.paths().size(); i++) {
                for (int t = 0; t < texts.size(); t++) {
                    Matcher.PairScore p = s[i][t];
                    Double itc = Double.isNaN(p.itcCosine()) ? null : p.itcCosine();
                    if (json) {
                        System.out.println(Json.line("image", loaded.paths().get(i).toString(), "text", texts.get(t),
                                "itm", p.itmProbability(), "itc", itc));
                    } else {
                        System.out.printf("%s\t%s\t%.4f\t%s%n", loaded.paths().get(i), texts.get(t),
                                p.itmProbability(), itc == null ? "-" : String.format("%.4f", itc));
                    }
                }
            }
        }
        return reader.failed == 0 ? 0 : 1;
    }
}
