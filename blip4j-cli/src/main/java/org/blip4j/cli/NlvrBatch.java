package org.blip4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import org.blip4j.task.Nlvr;
import org.blip4j.task.NlvrAnnotations;
import org.blip4j.task.NlvrEvaluator;
import org.blip4j.util.AtomicFiles;

/** Runs an NLVR2 model over one annotation file, with a progress bar; shared by {@code nlvr} and {@code eval nlvr}. */
final class NlvrBatch {
    private NlvrBatch() {
    }

    static NlvrEvaluator.Result run(Nlvr nlvr, Path annotations, Path imageRoot, int batchSize, boolean preCaption)
            throws IOException {
        List<NlvrAnnotations.Item> items = NlvrAnnotations.read(annotations, imageRoot);
        try (ProgressBar bar = Progress.bar(annotations.getFileName().toString(), items.size(), "pairs")) {
            NlvrEvaluator.Result r = NlvrEvaluator.evaluate(nlvr, items, batchSize, preCaption, bar::stepTo);
            for (NlvrEvaluator.Skipped s : r.skipped()) {
                System.err.println("\rskipped record " + s.item().index() + ": " + s.reason());
            }
            return r;
        }
    }

    /** The single-pair JSON shape: image0, image1, sentence, logits [false, true], prediction. */
    static Map<String, Object> json(String image0, String image1, String sentence, Nlvr.Prediction p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("image0", image0);
        m.put("image1", image1);
        m.put("sentence", sentence);
        m.put("logits", List.of(p.logitFalse(), p.logitTrue()));
        m.put("prediction", p.prediction());
        return m;
    }

    /** Writes every prediction (with the label where known) as a JSON array, atomically. */
    static void write(Path out, NlvrEvaluator.Result r) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (NlvrEvaluator.Row row : r.rows()) {
            Map<String, Object> m = json(row.item().image0Name(), row.item().image1Name(), row.item().sentence(),
                    row.prediction());
            m.put("index", row.item().index());
            m.put("label", row.item().label());
            rows.add(m);
        }
        AtomicFiles.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(rows) + "\n");
    }

    static String summary(Path file, NlvrEvaluator.Result r) {
        return String.format(java.util.Locale.ROOT, "%s: accuracy %.4f (%d of %d labelled pairs), %d scored, %d skipped",
                file, r.accuracy(), r.correct(), r.labelled(), r.rows().size(), r.skipped().size());
    }
}
