package org.blip4j.capfilt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.blip4j.task.Blip;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CapFilt pipeline on tiny-a (captioner = filter): schema, determinism, resume, thresholds, bad images. */
class CapfiltPipelineTest {
    private static Blip blip;

    @TempDir
    Path tmp;
    private CapfiltFixture fx;

    @BeforeAll
    static void load() throws IOException {
        org.blip4j.engine.Engines.configure(1); // the tiny model is 50x slower with threads contending for cores
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

    private CapfiltReport run(CapfiltConfig c, CapfiltOptions o) throws IOException {
        return run(c, o, new CapfiltPipeline.Listener() { });
    }

    private CapfiltReport run(CapfiltConfig c, CapfiltOptions o, CapfiltPipeline.Listener l) throws IOException {
        return new CapfiltPipeline(c, o).run(() -> new CapfiltModels(blip, blip), l);
    }

    @Test
    void writesTheBootstrappedDatasetWithProvenanceAndTheReport() throws IOException {
        Path out = tmp.resolve("out");
        CapfiltOptions o = CapfiltOptions.defaults().withGeneration(
                CapfiltOptions.defaults().generation().withNumReturnSequences(2).withSeed(7));
        CapfiltReport r = run(fx.config(out), o);

        assertEquals(12, r.webRecords());
        assertEquals(13, r.web().total(), "12 records, one with a list of two texts");
        assertEquals(24, r.synthetic().total(), "two samples per image");
        assertEquals(3, r.human());
        assertEquals(r.synthetic().removedFraction(), r.syntheticNoiseRatio());
        assertEquals(13, r.web().total());
        assertEquals(13 + 24, sum(r.webItmHistogram()) + sum(r.syntheticItmHistogram()));

        List<JsonNode> lines = CapfiltFixture.partLines(out);
        assertEquals(37, lines.size(), "parts hold removed texts too");
        assertEquals(3, Files.list(out.resolve("parts")).count(), "12 records in parts of 5");
        long kept = lines.stream().filter(n -> n.get("kept").asBoolean()).count();
        TreeMap<String, JsonNode> recs = CapfiltFixture.records(out);
        assertEquals(kept + 3, recs.size(), "kept web + kept synthetic + all human");
        for (JsonNode n : lines) {
            assertEquals(n.get("itm").asDouble() >= 0.5, n.get("kept").asBoolean(), n.toString());
            assertTrue(n.get("itc").isNumber(), "tiny-a has ITC projections: " + n);
        }
        for (JsonNode n : recs.values()) {
            assertTrue(n.get("image").asText().startsWith("images/img"), n.toString());
            assertTrue(n.has("caption") && n.has("source_index") && n.has("itm") && n.has("itc"), n.toString());
            assertFalse(n.has("kept"), "the dataset holds kept texts only");
            switch (n.get("source").asText()) {
                case "human" -> assertTrue(n.get("itm").isNull(), "human pairs are not scored");
                case "synthetic" -> {
                    assertEquals("sample", n.get("strategy").asText());
                    assertEquals(0.9, n.get("top_p").asDouble());
                    assertEquals(50, n.get("top_k").asInt());
                    assertEquals(1.1, n.get("repetition_penalty").asDouble());
                    assertEquals(7, n.get("seed").asLong());
                    assertEquals(20, n.get("max_length").asInt());
                    assertEquals(5, n.get("min_length").asInt());
                    assertEquals(CapfiltStep.recordSeed(7, n.get("source_index").asInt()),
                            n.get("sample_seed").asLong());
                }
                case "web" -> assertTrue(n.get("itm").asDouble() >= 0.5);
                default -> throw new AssertionError(n.toString());
            }
        }
        JsonNode h = recs.get("human_0_1");
        assertEquals("colour blocks", h.get("caption").asText());
        JsonNode webList = lines.stream().filter(n -> n.get("source").asText().equals("web")
                && n.get("source_index").asInt() == 7 && n.get("text_index").asInt() == 1).findFirst().orElseThrow();
        assertEquals(CapfiltFixture.TEXTS[4], webList.get("caption").asText());

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("Noise ratio"), md);
        assertTrue(md.contains("| web | 13 |"), md);
        assertTrue(Files.size(out.resolve("itm_histogram.png")) > 1000);
        assertTrue(Files.readString(out.resolve("capfilt.json")).contains("\"sha256\""));
        assertTrue(Files.readString(out.resolve("progress.json")).contains("\"parts_done\": 3"));
    }

    @Test
    void resultsDoNotDependOnBatchOrShardSize() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        run(fx.config(a).withShardSize(5), CapfiltOptions.defaults().withBatchSize(1));
        run(fx.config(b).withShardSize(12), CapfiltOptions.defaults().withBatchSize(5));
        assertSameRecords(a, b);
        assertEquals(CapfiltFixture.partLines(a).size(), CapfiltFixture.partLines(b).size());
    }

    @Test
    void aRunKilledAfterAPartResumesToTheSameRecords() throws IOException {
        Path whole = tmp.resolve("whole");
        run(fx.config(whole).withShardSize(3), CapfiltOptions.defaults());

        Path out = tmp.resolve("resumed");
        CapfiltConfig c = fx.config(out).withShardSize(3);
        assertThrows(Killed.class, () -> run(c, CapfiltOptions.defaults(), killedAfterPart(1)));
        assertFalse(Files.exists(out.resolve("bootstrapped.json")));
        // what a SIGKILL during the next part's write leaves: a temp file, and a stale one from an older attempt
        Files.writeString(out.resolve("parts/.part-00002.jsonl.123.tmp"), "{\"image\": \"half");
        Files.writeString(out.resolve(".bootstrapped.json.456.tmp"), "[{\"image\"");
        AtomicInteger processed = new AtomicInteger();
        AtomicInteger doneBefore = new AtomicInteger();
        run(c, CapfiltOptions.defaults(), new CapfiltPipeline.Listener() {
            @Override
            public void started(int total, int done) {
                doneBefore.set(done);
            }

            @Override
            public void recordsProcessed(int n) {
                processed.addAndGet(n);
            }
        });
        assertEquals(6, doneBefore.get());
        assertEquals(6, processed.get(), "only the two missing parts are recomputed");
        assertFalse(Files.exists(out.resolve("parts/.part-00002.jsonl.123.tmp")));
        assertFalse(Files.exists(out.resolve(".bootstrapped.json.456.tmp")));
        assertSameRecords(whole, out);

        // a finished run reruns without models: only the assembly
        new CapfiltPipeline(c, CapfiltOptions.defaults()).run(() -> {
            throw new AssertionError("no part left to compute");
        }, new CapfiltPipeline.Listener() { });
        assertSameRecords(whole, out);
    }

    @Test
    void partsOnSeveralWorkersAreByteIdenticalToOneWorker() throws IOException {
        Path one = tmp.resolve("one");
        Path three = tmp.resolve("three");
        CapfiltOptions o = CapfiltOptions.defaults().withBatchSize(2);
        new CapfiltPipeline(fx.config(one).withShardSize(2), o).run(() -> new CapfiltModels(blip, blip),
                new CapfiltPipeline.Listener() { });
        AtomicInteger processed = new AtomicInteger();
        new CapfiltPipeline(fx.config(three).withShardSize(2), o, 3).run(() -> new CapfiltModels(blip, blip),
                new CapfiltPipeline.Listener() {
                    @Override
                    public void recordsProcessed(int n) {
                        processed.addAndGet(n);
                    }
                });
        assertEquals(12, processed.get(), "every record counted once");
        for (int p = 0; p < 6; p++) {
            String name = String.format("parts/part-%05d.jsonl", p);
            assertEquals(Files.readString(one.resolve(name)), Files.readString(three.resolve(name)), name);
        }
        assertEquals(Files.readString(one.resolve("bootstrapped.json")),
                Files.readString(three.resolve("bootstrapped.json")));
        assertTrue(Files.readString(three.resolve("progress.json")).contains("\"parts_done\": 6"));
    }

    @Test
    void aWorkerFailureStopsTheRunAndTheResumeCompletesIt() throws IOException {
        Path whole = tmp.resolve("whole");
        run(fx.config(whole).withShardSize(2), CapfiltOptions.defaults());
        Path out = tmp.resolve("out");
        CapfiltConfig c = fx.config(out).withShardSize(2);
        assertThrows(Killed.class, () -> new CapfiltPipeline(c, CapfiltOptions.defaults(), 2).run(
                () -> new CapfiltModels(blip, blip), killedAfterPart(1)));
        assertFalse(Files.exists(out.resolve("bootstrapped.json")));
        long written;
        try (var files = Files.list(out.resolve("parts"))) {
            written = files.count();
        }
        assertTrue(written >= 2 && written < 6, "the failure stopped new parts: " + written + " written");
        new CapfiltPipeline(c, CapfiltOptions.defaults(), 2).run(() -> new CapfiltModels(blip, blip),
                new CapfiltPipeline.Listener() { });
        assertSameRecords(whole, out);
        assertThrows(IllegalArgumentException.class, () -> new CapfiltPipeline(c, CapfiltOptions.defaults(), 0));
    }

    @Test
    void refusesToResumeWithOtherArguments() throws IOException {
        Path out = tmp.resolve("out");
        run(fx.config(out), CapfiltOptions.defaults());
        var e = assertThrows(CapfiltArgumentsException.class,
                () -> run(fx.config(out), CapfiltOptions.defaults().withThreshold(0.6)));
        assertTrue(e.getMessage().contains("threshold: was 0.5, now 0.6"), e.getMessage());
        assertTrue(e.getMessage().contains("capfilt.json"), e.getMessage());
        // batch size changes no result, so it may differ
        run(fx.config(out), CapfiltOptions.defaults().withBatchSize(3));
    }

    @Test
    void thresholdZeroKeepsAllAndAboveOneKeepsOnlyHumanPairs() throws IOException {
        CapfiltReport all = run(fx.config(tmp.resolve("all")), CapfiltOptions.defaults().withThreshold(0));
        assertEquals(13, all.web().kept());
        assertEquals(12, all.synthetic().kept());
        assertEquals(0.0, all.syntheticNoiseRatio());
        assertEquals(13 + 12 + 3, CapfiltFixture.records(tmp.resolve("all")).size());

        CapfiltReport none = run(fx.config(tmp.resolve("none")), CapfiltOptions.defaults().withThreshold(1.01));
        assertEquals(0, none.web().kept());
        assertEquals(0, none.synthetic().kept());
        assertEquals(1.0, none.syntheticNoiseRatio());
        assertEquals(1.0, none.webRemovedFraction());
        TreeMap<String, JsonNode> recs = CapfiltFixture.records(tmp.resolve("none"));
        assertEquals(3, recs.size());
        assertTrue(recs.keySet().stream().allMatch(k -> k.startsWith("human_")), recs.keySet().toString());
    }

    @Test
    void unreadableImagesAreSkippedAndCounted() throws IOException {
        Files.writeString(fx.images.resolve("broken.png"), "not a png");
        var arr = CapfiltFixture.JSON.readTree(fx.web.toFile());
        ((com.fasterxml.jackson.databind.node.ArrayNode) arr).addObject().put("image", "images/broken.png")
                .put("caption", "x");
        ((com.fasterxml.jackson.databind.node.ArrayNode) arr).addObject().put("image", "images/missing.png")
                .put("caption", "y");
        CapfiltFixture.JSON.writeValue(fx.web.toFile(), arr);
        List<String> reported = new java.util.ArrayList<>();
        CapfiltReport r = run(fx.config(tmp.resolve("out")), CapfiltOptions.defaults(),
                new CapfiltPipeline.Listener() {
                    @Override
                    public void skipped(CapfiltStep.Skipped s) {
                        reported.add(s.image());
                    }
                });
        assertEquals(List.of("images/broken.png", "images/missing.png"), reported);
        assertEquals(14, r.webRecords());
        assertEquals(2, r.skippedImages());
        assertEquals(13, r.web().total());
        assertTrue(r.skippedSamples().get(0).startsWith("images/broken.png: "), r.skippedSamples().toString());
        assertTrue(Files.readString(tmp.resolve("out/report.md")).contains("images/missing.png"));
    }

    @Test
    void shardsHoldTheKeptPairsWithTheirMetadata() throws IOException {
        Path out = tmp.resolve("out");
        CapfiltConfig c = new CapfiltConfig("tiny-a", "tiny-a", fx.web, fx.root, fx.human, out, null, 4, true);
        run(c, CapfiltOptions.defaults().withThreshold(0));
        var manifest = org.blip4j.data.ShardManifest.read(out.resolve("shards/manifest.json"));
        assertEquals(13 + 12 + 3, manifest.samples());
        assertTrue(Files.exists(out.resolve("shards/capfilt-00000.tar")));
        List<Path> tars;
        try (var files = Files.list(out.resolve("shards"))) {
            tars = files.filter(f -> f.toString().endsWith(".tar")).sorted().toList();
        }
        // the shards hold exactly the bootstrapped pairs (the reader strips KEY.txt; synthetic captions may start
        // with a space, as the original's prompt removal leaves them)
        List<String> inShards = new java.util.ArrayList<>();
        for (var sample : org.blip4j.data.WebDatasetReader.create().read(tars)) {
            inShards.addAll(sample.captions());
        }
        List<String> inJson = new java.util.ArrayList<>();
        for (JsonNode n : CapfiltFixture.JSON.readTree(out.resolve("bootstrapped.json").toFile())) {
            inJson.add(n.get("caption").asText().strip());
        }
        java.util.Collections.sort(inShards);
        java.util.Collections.sort(inJson);
        assertEquals(inJson, inShards);
    }

    @Test
    void badInputNamesTheFile() throws IOException {
        Files.writeString(fx.web, "[{\"image\": \"images/a.png\"}]");
        var e = assertThrows(IOException.class, () -> run(fx.config(tmp.resolve("out")), CapfiltOptions.defaults()));
        assertTrue(e.getMessage().contains("web.json") && e.getMessage().contains("caption"), e.getMessage());
    }

    /** What a kill right after a part's write looks like to the pipeline. */
    private static final class Killed extends IOException {
    }

    private static CapfiltPipeline.Listener killedAfterPart(int killed) {
        return new CapfiltPipeline.Listener() {
            @Override
            public void partWritten(int part) throws IOException {
                if (part == killed) {
                    throw new Killed();
                }
            }
        };
    }

    static void assertSameRecords(Path a, Path b) throws IOException {
        Map<String, JsonNode> x = CapfiltFixture.records(a);
        Map<String, JsonNode> y = CapfiltFixture.records(b);
        assertEquals(x.keySet(), y.keySet());
        for (String k : x.keySet()) {
            JsonNode p = x.get(k);
            JsonNode q = y.get(k);
            assertEquals(p.get("caption").asText(), q.get("caption").asText(), k);
            if (!p.get("itm").isNull()) {
                assertEquals(p.get("itm").asDouble(), q.get("itm").asDouble(), 1e-5, k);
                assertEquals(p.get("itc").asDouble(), q.get("itc").asDouble(), 1e-5, k);
            }
        }
    }

    private static long sum(long[] a) {
        return java.util.Arrays.stream(a).sum();
    }
}
