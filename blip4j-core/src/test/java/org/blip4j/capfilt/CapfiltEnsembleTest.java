package org.blip4j.capfilt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.blip4j.generate.NucleusSampler;
import org.blip4j.task.Blip;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several captions per image and captioner/filter ensembles, on tiny-a (docs/CAPFILT.md). */
class CapfiltEnsembleTest {
    private static final String GOLDEN = "capfilt-single-model";
    private static Blip blip;

    @TempDir
    Path tmp;
    private CapfiltFixture fx;

    @BeforeAll
    static void load() throws IOException {
        org.blip4j.engine.Engines.configure(1);
        blip = Blip.load(Fixtures.tinyAModel().toString());
    }

    @AfterAll
    static void close() {
        blip.close();
    }

    @BeforeEach
    void fixture() throws IOException {
        fx = new CapfiltFixture(tmp.resolve("in"));
    }

    private static CapfiltOptions captions(int k) {
        return CapfiltOptions.defaults().withGeneration(
                CapfiltOptions.defaults().generation().withNumReturnSequences(k).withSeed(7));
    }

    private CapfiltReport run(String name, CapfiltModels models, CapfiltOptions o) throws IOException {
        return new CapfiltPipeline(fx.config(tmp.resolve(name)), o).run(() -> models,
                new CapfiltPipeline.Listener() { });
    }

    private String part(String run, int p) throws IOException {
        return Files.readString(tmp.resolve(run).resolve(String.format("parts/part-%05d.jsonl", p)));
    }

    @Test
    void anEnsembleOfOneWritesWhatTheSingleModelRunWrote() throws IOException {
        run("one", new CapfiltModels(List.of(blip), List.of(blip)), captions(2));
        for (int p = 0; p < 3; p++) {
            String name = String.format("part-%05d.jsonl", p);
            List<String> golden = Files.readAllLines(Fixtures.resource(GOLDEN + "/" + name));
            List<String> mine = Files.readAllLines(tmp.resolve("one/parts").resolve(name));
            assertEquals(golden.size(), mine.size(), name);
            for (int i = 0; i < golden.size(); i++) {
                JsonNode g = CapfiltFixture.JSON.readTree(golden.get(i));
                ObjectNode m = (ObjectNode) CapfiltFixture.JSON.readTree(mine.get(i));
                assertSameRecord(g, withoutNewFields(m), name + " line " + i);
            }
        }
        JsonNode golden = CapfiltFixture.JSON.readTree(Fixtures.resource(GOLDEN + "/bootstrapped.json").toFile());
        JsonNode mine = CapfiltFixture.JSON.readTree(tmp.resolve("one/bootstrapped.json").toFile());
        assertEquals(golden.size(), mine.size());
        for (int i = 0; i < golden.size(); i++) {
            assertSameRecord(golden.get(i), withoutNewFields((ObjectNode) mine.get(i)), "bootstrapped.json #" + i);
        }
    }

    /** Checks and removes the provenance added with ensembles: captioner 0, candidate = text index, its seed. */
    private static JsonNode withoutNewFields(ObjectNode m) {
        if (m.get("source").asText().equals("synthetic")) {
            assertEquals(0, m.remove("captioner").asInt());
            int candidate = m.remove("candidate").asInt();
            assertEquals(m.get("text_index").asInt(), candidate);
            assertEquals(NucleusSampler.rowSeed(m.get("sample_seed").asLong(), candidate),
                    m.remove("candidate_seed").asLong());
        }
        return m;
    }

    /** Texts, provenance and verdicts exactly; scores to 1e-6 (another CPU may round the last bits differently). */
    private static void assertSameRecord(JsonNode golden, JsonNode mine, String where) {
        assertEquals(fieldNames(golden), fieldNames(mine), where);
        golden.fieldNames().forEachRemaining(f -> {
            if (f.equals("itm") || f.equals("itc")) {
                assertEquals(golden.get(f).asDouble(), mine.get(f).asDouble(), 1e-6, where + " " + f);
            } else {
                assertEquals(golden.get(f), mine.get(f), where + " " + f);
            }
        });
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void identicalFiltersKeepExactlyWhatOneKeepsUnderEveryRule() throws IOException {
        run("single", new CapfiltModels(blip, blip), captions(1));
        for (FilterRule rule : FilterRule.values()) {
            String name = "two-" + rule.label();
            run(name, new CapfiltModels(List.of(blip), List.of(blip, blip)), captions(1).withFilterRule(rule));
            for (int p = 0; p < 3; p++) {
                assertEquals(part("single", p), part(name, p), rule.label() + " part " + p);
            }
            assertEquals(Files.readString(tmp.resolve("single/bootstrapped.json")),
                    Files.readString(tmp.resolve(name).resolve("bootstrapped.json")), rule.label());
        }
    }

    @Test
    void aSecondIdenticalCaptionerAddsOnlyDuplicatesWhichAreDropped() throws IOException {
        run("single", new CapfiltModels(blip, blip), captions(2));
        CapfiltReport r = run("two", new CapfiltModels(List.of(blip, blip), List.of(blip)), captions(2));
        for (int p = 0; p < 3; p++) {
            assertEquals(part("single", p), part("two", p), "part " + p);
        }
        assertEquals(24, r.synthetic().total(), "12 images x 2 distinct captions, the copies dropped");
        assertEquals(List.of(r.synthetic()), r.syntheticByCaptioner().stream()
                .filter(c -> c.total() > 0).toList(), "every text credited to captioner 0");
    }

    @Test
    void threeCaptionsPerImageKeepMoreSyntheticTextsThanOne() throws IOException {
        CapfiltReport one = run("k1", new CapfiltModels(blip, blip), captions(1));
        CapfiltReport three = run("k3", new CapfiltModels(blip, blip), captions(3));
        assertTrue(three.synthetic().kept() > one.synthetic().kept(),
                three.synthetic().kept() + " vs " + one.synthetic().kept());
        assertTrue(three.syntheticKeptPerImage() > one.syntheticKeptPerImage());

        // candidate c draws from its own stream: candidate 0 of K = 3 is K = 1's caption, and the report's K = 1
        // row of the K = 3 run is exactly the K = 1 run
        Map<Integer, String> firstCaption = new HashMap<>();
        for (JsonNode n : CapfiltFixture.partLines(tmp.resolve("k1"))) {
            if (n.get("source").asText().equals("synthetic")) {
                firstCaption.put(n.get("source_index").asInt(), n.get("caption").asText());
            }
        }
        assertEquals(12, firstCaption.size());
        Map<Integer, Set<String>> texts = new HashMap<>();
        Set<Integer> seenCandidates = new HashSet<>();
        for (JsonNode n : CapfiltFixture.partLines(tmp.resolve("k3"))) {
            if (!n.get("source").asText().equals("synthetic")) {
                continue;
            }
            int image = n.get("source_index").asInt();
            int candidate = n.get("candidate").asInt();
            assertEquals(0, n.get("captioner").asInt());
            assertEquals(candidate, n.get("text_index").asInt());
            seenCandidates.add(candidate);
            assertTrue(texts.computeIfAbsent(image, x -> new HashSet<>()).add(n.get("caption").asText()),
                    "an image's identical texts are kept once: " + n);
            if (candidate == 0) {
                assertEquals(firstCaption.get(image), n.get("caption").asText(), n.toString());
            }
        }
        assertEquals(Set.of(0, 1, 2), seenCandidates);
        assertEquals(one.synthetic(), three.syntheticFirstCandidates(1));
        assertEquals(three.synthetic(), three.syntheticFirstCandidates(3));

        String md = Files.readString(tmp.resolve("k3/report.md"));
        assertTrue(md.contains("| K (first K candidates) | distinct texts per image | kept per image | noise ratio |"),
                md);
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "| 3 | %.2f | %.2f |",
                three.synthetic().total() / 12.0, three.synthetic().kept() / 12.0)), md);
    }
}
