package org.blip4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.blip4j.eval.VqaAccuracy;
import org.blip4j.eval.VqaAnnotations;
import org.blip4j.eval.VqaEvaluator;
import org.blip4j.eval.VqaPredictions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code blip eval vqa}: the official VQA v2 accuracy of a result file. */
@Command(name = "vqa", mixinStandardHelpOptions = true,
        description = "VQA accuracy (official VQA v2 evaluation) of [{\"question_id\", \"answer\"}] results.")
public final class EvalVqaCommand implements Callable<Integer> {
    @Option(names = "--predictions", required = true, paramLabel = "FILE",
            description = "results: [{\"question_id\", \"answer\"}]")
    Path predictions;

    @Option(names = "--data", required = true, paramLabel = "ANN", description = "VQA v2 annotation file")
    Path data;

    @Option(names = "--json", description = "one JSON object: {\"overall\", \"perAnswerType\"} (unrounded, 0-100)")
    boolean json;

    @Override
    public Integer call() throws Exception {
        VqaAccuracy acc = new VqaEvaluator().evaluate(VqaAnnotations.read(data), VqaPredictions.read(predictions));
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("overall", acc.overall());
            out.put("perAnswerType", acc.perAnswerType());
            System.out.println(Json.MAPPER.writeValueAsString(out));
        } else {
            System.out.print(table(acc));
        }
        return 0;
    }

    /** Rounded to 2 decimals as the official evaluation prints them. */
    static String table(VqaAccuracy acc) {
        VqaAccuracy r = acc.rounded(2);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-16s %8.2f%n", "overall", r.overall()));
        r.perAnswerType().forEach((type, v) -> sb.append(String.format(Locale.ROOT, "  %-14s %8.2f%n", type, v)));
        sb.append(String.format(Locale.ROOT, "%d questions%n", acc.perQuestion().size()));
        return sb.toString();
    }
}
