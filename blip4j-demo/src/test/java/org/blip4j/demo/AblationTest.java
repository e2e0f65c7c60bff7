package org.blip4j.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole ablation on a world smaller than {@code --quick}: every variant's result, the data the variants derive
 * from CapFilt records, the summary section's tables (kept apart from the page's hand-written text), and a restart
 * after one variant's output is deleted that redoes that variant only, to the same scores.
 */
class AblationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static DemoOptions tiny(Path out) {
        // web, human (x5 captions), test images; 10 pre-training steps, 4 + 4 fine-tuning; batch 4; vision 24 / 5
        return new DemoOptions(out, 42, 24, 12, 5, 8, 0.4, 10, 4, 4, 4, 4, 1, 24, 5);
    }

    @Test
    void runsEveryVariantWritesTheTablesAndRedoesOnlyADeletedVariant() throws Exception {
        org.blip4j.engine.Engines.configure(1);
        Path out = tmp.resolve("ablation");
        Path page = tmp.resolve("CAPFILT.md");
        Files.writeString(page, "# hand-written\n\nanalysis above\n\n" + AblationSummary.BEGIN + "\nold\n"
                + AblationSummary.END + "\n\nanalysis below\n");
        AblationExperiment.run(tiny(out), List.of(42L), List.of(42L), page, "./blip ablate --test", "tiny",
                DemoListener.NONE);
        Path seed = out.resolve("seed-42");
        Map<AblationVariant, VariantResult> first = AblationSummary.collect(out, List.of(42L)).get(42L);
        assertEquals(AblationVariant.values().length, first.size(), first.keySet().toString());

        // the derived data: "kept everything the filter kept" is the run's own bootstrapped.json; candidate 0 of
        // the K = 5 run is the K = 1 run's caption
        Path check = tmp.resolve("kept.json");
        DerivedDataset.write(seed.resolve("capfilt-k1"), DerivedDataset.KEPT, DerivedDataset.KEPT, check);
        assertEquals(JSON.readTree(seed.resolve("capfilt-k1/bootstrapped.json").toFile()),
                JSON.readTree(check.toFile()));
        assertEquals(synthetic(seed.resolve("capfilt-k1"), 1), synthetic(seed.resolve("capfilt-k5"), 1));
        assertTrue(synthetic(seed.resolve("capfilt-k5"), 5).size() > synthetic(seed.resolve("capfilt-k5"), 3)
                .size());
        JsonNode fOnly = JSON.readTree(seed.resolve("variants/f-only/data.json").toFile());
        JsonNode cOnly = JSON.readTree(seed.resolve("variants/c-only/data.json").toFile());
        assertTrue(count(fOnly, "synthetic") == 0 && count(fOnly, "web") > 0, fOnly.toString());
        assertEquals(24, count(cOnly, "web"), "captioner only keeps every web text");
        assertTrue(count(cOnly, "synthetic") > 0);
        assertEquals(60, count(cOnly, "human"));
        assertEquals(0.0, first.get(AblationVariant.F_ONLY).syntheticPerImage());
        assertTrue(first.get(AblationVariant.CF).syntheticNoiseRatio() != null);
        assertTrue(first.get(AblationVariant.NONE).filterRecall() == null);

        String md = Files.readString(page);
        assertTrue(md.startsWith("# hand-written\n\nanalysis above\n\n" + AblationSummary.BEGIN), md);
        assertTrue(md.endsWith(AblationSummary.END + "\n\nanalysis below\n"), md);
        assertFalse(md.contains("\nold\n"), md);
        for (AblationVariant.Family f : AblationVariant.FAMILIES) {
            assertTrue(md.contains("### " + f.title()), f.title());
            assertTrue(Files.size(tmp.resolve("img/ablation_" + f.id() + ".png")) > 1000, f.id());
            assertTrue(md.contains("](img/ablation_" + f.id() + ".png)"), md);
            for (AblationVariant.Row r : f.rows()) { // one seed: the value alone, then the seed count
                assertTrue(md.matches("(?s).*\\n\\| " + java.util.regex.Pattern.quote(r.name())
                        + " \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| .* \\| 1 \\|\\n.*"), r.name());
            }
        }
        assertTrue(md.contains("Written by `./blip ablate --test`"), md);
        assertTrue(md.contains("11 of 11 variant runs done"), md);
        assertTrue(md.contains("| captioner + filter | 42 |") || md.contains("| 42 | captioner + filter |"), md);

        // a second seed's results (copied, scores shifted): mean ± std, two per-seed rows
        for (AblationVariant v : AblationVariant.values()) {
            VariantResult r = first.get(v);
            ModelScores s = r.scores();
            Path f = out.resolve("seed-43/variants").resolve(v.id).resolve(VariantResult.FILE);
            Files.createDirectories(f.getParent());
            new VariantResult(r.variant(), 43, new ModelScores(s.name(), s.trR1() + 2, s.irR1(), s.rMean(),
                    s.bleu4(), s.cider(), s.exampleCaptions()), r.filterPrecision(), r.filterRecall(),
                    r.keptWebNoise(), r.syntheticNoiseRatio(), r.syntheticPerImage(), r.seconds()).write(f);
        }
        AblationSummary.write(page, out, tiny(out), List.of(42L, 43L), "./blip ablate --test", "tiny");
        md = Files.readString(page);
        double tr = first.get(AblationVariant.NONE).scores().trR1();
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "| no CapFilt | %.1f ± 1.4 |", tr + 1)), md);
        assertTrue(md.contains("| 43 | no CapFilt |"), md);

        // restart: one variant's output lost; the rerun redoes it alone, to the same scores
        try (Stream<Path> w = Files.walk(seed.resolve("variants/f-only"))) {
            for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        List<String> stages = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        Ablation.run(tiny(out).withOut(seed), new DemoListener() {
            @Override
            public void stage(int index, int total, String name) {
                stages.add(name);
            }

            @Override
            public void message(String message) {
                messages.add(message);
            }
        }, r -> { });
        for (AblationVariant v : AblationVariant.values()) {
            if (v != AblationVariant.F_ONLY) {
                assertTrue(messages.contains("already done: " + seed.resolve("variants").resolve(v.id)), v.id
                        + ": " + messages);
            }
        }
        List<String> ranVariants = stages.stream().filter(s -> s.contains(": variant ")).toList();
        assertEquals(List.of("seed 42: variant f-only (filter only): pre-train and evaluate"), ranVariants);
        // what ran: the K = 1 CapFilt (reassembled from its part files for its report) and the variant
        List<String> ran = messages.stream().filter(m -> m.contains(" took ")).map(m -> m.replaceAll(
                "^seed 42: stage ([0-9]+)/30 took .*$", "$1")).toList();
        assertEquals(List.of("7", "9"), ran, messages.toString());
        VariantResult again = VariantResult.read(seed.resolve("variants/f-only").resolve(VariantResult.FILE));
        assertEquals(first.get(AblationVariant.F_ONLY).scores(), again.scores());
    }

    /** (image, caption) of the synthetic records with candidate < k, in part order. */
    private static List<String> synthetic(Path run, int k) throws Exception {
        List<String> out = new ArrayList<>();
        List<Path> parts;
        try (Stream<Path> s = Files.list(run.resolve("parts"))) {
            parts = s.sorted().toList();
        }
        for (Path p : parts) {
            try (BufferedReader r = Files.newBufferedReader(p)) {
                for (String line; (line = r.readLine()) != null; ) {
                    JsonNode n = JSON.readTree(line);
                    if ("synthetic".equals(n.path("source").asText()) && n.path("candidate").asInt() < k) {
                        out.add(n.get("image").asText() + "\t" + n.get("caption").asText());
                    }
                }
            }
        }
        return out;
    }

    private static long count(JsonNode data, String source) {
        long n = 0;
        for (JsonNode r : data) {
            n += source.equals(r.path("source").asText()) ? 1 : 0;
        }
        return n;
    }
}
