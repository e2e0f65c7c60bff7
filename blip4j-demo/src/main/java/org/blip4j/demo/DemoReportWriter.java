package org.blip4j.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.blip4j.capfilt.CapfiltReport;
import org.blip4j.train.vision.VisionPretrainResult;
import org.blip4j.util.AtomicFiles;
import org.blip4j.util.ChartFiles;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/** The demo's report.md: Table-1-style comparison, filter quality, example captions, plots. */
final class DemoReportWriter {
    private DemoReportWriter() {
    }

    static String accuracies(Map<String, Double> acc) {
        StringBuilder s = new StringBuilder();
        acc.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.1f%%", k,
                100 * v)));
        return s.toString();
    }

    static void write(Path md, DemoOptions o, VisionPretrainResult encoder, ModelScores a, ModelScores b,
            CapfiltReport f, Map<String, StageTime> times, Path world, List<BootstrapRound> rounds,
            String histogram) throws IOException {
        Path out = md.getParent();
        chart(out.resolve("comparison.png"), a, b);
        StringBuilder s = new StringBuilder();
        s.append("# BLIP CapFilt demo\n\n");
        s.append(String.format(Locale.ROOT, "Synthetic shapes world (seed %d): %d web images with %.0f%% corrupted "
                + "texts, %d human-annotated images (%d captions each), %d test images (5 captions each). Model: "
                + "`shapes` preset (ViT 64 px / 8 px patches, width 64, 2+2 layers), %d pre-training steps of batch "
                + "%d.%n%n", o.seed(), o.webSize(), 100 * o.noise(), o.humanSize(), o.humanCaptions(), o.testSize(),
                o.pretrainSteps(), o.batch()));
        s.append(String.format(Locale.ROOT, "The image encoder starts, as BLIP's does from ImageNet, from supervised "
                + "pre-training on %d further labelled images of the world (%d steps; each object's shape, colour "
                + "and size at its patch, the image's shapes, colours, positions and background at [CLS]). "
                + "Held-out accuracy: %s.%n%n", encoder.trainImages() + encoder.heldOutImages(), o.visionSteps(),
                accuracies(encoder.heldOutAccuracy())));
        s.append("## Pre-training data: web texts as they come vs. CapFilt (paper Table 1, in miniature)\n\n");
        s.append("Zero-shot on the test split: retrieval = ITC top-k re-ranked by ITM (k = ").append(o.kTest())
                .append("); captions = beam 3 from the pre-trained decoder.\n\n");
        s.append("| pre-training data | TR@1 | IR@1 | R mean | BLEU-4 | CIDEr |\n|---|---|---|---|---|---|\n");
        for (ModelScores m : List.of(a, b)) {
            s.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f |%n", m.name(), m.trR1(),
                    m.irR1(), m.rMean(), 100 * m.bleu4(), 100 * m.cider()));
        }
        s.append("\n![comparison](comparison.png)\n\n");
        if (rounds.size() > 1) {
            rounds(s, rounds);
        }
        s.append(rounds.size() > 1 ? "## The last round's filter against the hidden noise labels\n\n"
                : "## The filter against the hidden noise labels\n\n");
        if (f.noise() != null) {
            var n = f.noise();
            s.append(String.format(Locale.ROOT, "- corrupted web texts removed (recall): **%.1f%%**%n",
                    100 * n.recall()));
            s.append(String.format(Locale.ROOT, "- removed texts that were corrupted (precision): **%.1f%%**%n",
                    100 * n.precision()));
            s.append(String.format(Locale.ROOT, "- correct web texts kept: **%.1f%%**%n", 100 * n.cleanKeptFraction()));
            s.append(String.format(Locale.ROOT, "- noise rate of the web texts: %.1f%% before, %s after filtering%n",
                    100 * n.inputNoiseRate(), Double.isNaN(n.keptNoiseRate()) ? "n/a (nothing kept)"
                            : String.format(Locale.ROOT, "%.1f%%", 100 * n.keptNoiseRate())));
            n.removedByKind().forEach((k, v) -> s.append(String.format(Locale.ROOT, "- removed among \"%s\": "
                    + "%.1f%%%n", k, 100 * v)));
        }
        s.append(String.format(Locale.ROOT, "- synthetic captions removed (the paper's noise ratio): %.1f%%%n",
                100 * f.syntheticNoiseRatio()));
        s.append(String.format(Locale.ROOT, "- bootstrapped data: %d web + %d synthetic + %d human pairs%n%n",
                f.web().kept(), f.synthetic().kept(), f.human()));
        s.append("![ITM histogram](").append(histogram).append(")\n\n");
        s.append("## Example captions (test images)\n\n| image | reference | no CapFilt | CapFilt |\n|---|---|---|---|\n");
        JsonNode test = new ObjectMapper().readTree(world.resolve("test.json").toFile());
        Path ex = out.resolve("examples");
        Files.createDirectories(ex);
        for (int i = 0; i < Math.min(a.exampleCaptions().size(), test.size()); i++) {
            String img = test.get(i).get("image").asText();
            Path dst = ex.resolve(Path.of(img).getFileName());
            Files.copy(world.resolve(img), dst, StandardCopyOption.REPLACE_EXISTING);
            s.append(String.format("| ![](examples/%s) | %s | %s | %s |%n", dst.getFileName(),
                    test.get(i).get("caption").get(0).asText(), a.exampleCaptions().get(i),
                    b.exampleCaptions().get(i)));
        }
        s.append("\n## Training curves\n\n![no CapFilt](pretrain_web/loss.png)\n![CapFilt](pretrain_capfilt/loss.png)\n");
        s.append("\n## Stage timings\n\n| stage | seconds |\n|---|---|\n");
        times.forEach((k, v) -> s.append(String.format(Locale.ROOT, "| %s | %.1f%s |%n", k, v.seconds(),
                v.earlierRun() ? " (earlier run)" : "")));
        AtomicFiles.writeString(md, s.toString());
    }

    /** Round r: its filter against the noise labels, and the model pre-trained on its bootstrapped data. */
    private static void rounds(StringBuilder s, List<BootstrapRound> rounds) {
        s.append("## Rounds of bootstrapping\n\n");
        s.append("Round r pre-trains a fresh model on round r−1's bootstrapped data plus the human pairs (round 1: "
                + "on web + human), fine-tunes a captioner and a filter from it on the human pairs and CapFilts the "
                + "original web texts (`round-r/bootstrapped.json`). Filter figures against the hidden noise labels; "
                + "scores are zero-shot, of the model pre-trained on that round's bootstrapped data.\n\n");
        s.append("| round | filter precision | filter recall | correct kept | kept-web noise | synthetic noise ratio "
                + "| TR@1 | IR@1 | BLEU-4 | CIDEr |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (BootstrapRound r : rounds) {
            var n = r.filtering().noise();
            ModelScores m = r.scores();
            s.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %.1f | %.1f | %.1f | %.1f |%n",
                    r.round(), n == null ? "n/a" : pct(n.precision()), n == null ? "n/a" : pct(n.recall()),
                    n == null ? "n/a" : pct(n.cleanKeptFraction()), n == null ? "n/a" : pct(n.keptNoiseRate()),
                    pct(r.filtering().syntheticNoiseRatio()), m.trR1(), m.irR1(), 100 * m.bleu4(), 100 * m.cider()));
        }
        s.append('\n');
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    static void chart(Path png, ModelScores a, ModelScores b) throws IOException {
        ChartFiles.writePng(() -> comparison(a, b), png);
    }

    private static CategoryChart comparison(ModelScores a, ModelScores b) {
        CategoryChart c = new CategoryChartBuilder().width(700).height(400).title("zero-shot test scores")
                .yAxisTitle("score").build();
        List<String> metrics = List.of("TR@1", "IR@1", "BLEU-4 ×100", "CIDEr ×100");
        for (ModelScores m : List.of(a, b)) {
            c.addSeries(m.name(), metrics, List.of(m.trR1(), m.irR1(), 100 * m.bleu4(), 100 * m.cider()));
        }
        return c;
    }
}
