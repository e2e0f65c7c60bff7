package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code blip eval}: scoring through the CLI reproduces the pycocoevalcap / official VQA fixture numbers, and the
 * generate-then-score paths run end to end on tiny-a over a small synthetic split.
 */
class EvalCommandTest {
    static final Path METRICS = Path.of("../blip4j-core/src/test/resources/metrics").toAbsolutePath().normalize();
    static final Path MODEL = CliRunner.TINY_A.resolve("model");
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> CAPTION_KEYS = List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr");
    static final List<String> RETRIEVAL_KEYS = List.of("txt_r1", "txt_r5", "txt_r10", "txt_r_mean", "img_r1",
            "img_r5", "img_r10", "img_r_mean", "r_mean");

    @TempDir
    static Path world;

    @TempDir
    Path tmp;

    /** 20 test images (64 px) with 5 references each: test.json (Karpathy-like) and test_gt.json (COCO). */
    @BeforeAll
    static void synthesize() {
        var r = CliRunner.run("synth", "--out", world.toString(), "--size", "10", "--image-size", "64", "--seed", "5");
        assertEquals(0, r.exit(), r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"single_image", "realistic_small", "edge_cases", "generated_50", "punctuation_brackets",
        "reference_variation"})
    void captionScoresOfAResultFileEqualPycocoevalcap(String name) throws Exception {
        JsonNode c = JSON.readTree(METRICS.resolve("captions").resolve(name).resolve("case.json").toFile());
        JsonNode expected = JSON.readTree(METRICS.resolve("captions").resolve(name).resolve("scores.json").toFile());
        Path ann = tmp.resolve("gt.json");
        Path pred = tmp.resolve("pred.json");
        JSON.writeValue(ann.toFile(), coco(c.get("references")));
        JSON.writeValue(pred.toFile(), results(c.get("predictions"), "image_id", "caption"));

        var r = CliRunner.run("eval", "caption", "--predictions", pred.toString(), "--data", ann.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode got = JSON.readTree(r.out());
        assertEquals(CAPTION_KEYS, fieldNames(got), "pycocoevalcap's keys, in its order");
        for (String key : CAPTION_KEYS) {
            double e = expected.get(key).asDouble();
            assertEquals(e, got.get(key).asDouble(), 1e-12 * Math.max(1, Math.abs(e)), name + " " + key);
        }
        var table = CliRunner.run("eval", "caption", "--predictions", pred.toString(), "--data", ann.toString());
        assertEquals(0, table.exit(), table.err());
        assertTrue(table.out().contains(String.format(Locale.ROOT, "%-8s %10.4f", "CIDEr", expected.get("CIDEr").asDouble())),
                table.out());
        assertTrue(table.out().contains("METEOR") && table.out().contains("SPICE"), "not-computed metrics are named");
    }

    @Test
    void karpathyStyleReferencesScoreLikeTheCocoFile() throws Exception {
        JsonNode c = JSON.readTree(METRICS.resolve("captions/realistic_small/case.json").toFile());
        JsonNode expected = JSON.readTree(METRICS.resolve("captions/realistic_small/scores.json").toFile());
        ArrayNode karpathy = JSON.createArrayNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = c.get("references").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            karpathy.addObject().put("image", "val2014/COCO_val2014_" + String.format("%012d",
                    Long.parseLong(e.getKey())) + ".jpg").set("caption", e.getValue());
        }
        Path ann = tmp.resolve("karpathy.json");
        Path pred = tmp.resolve("pred.json");
        JSON.writeValue(ann.toFile(), karpathy);
        JSON.writeValue(pred.toFile(), results(c.get("predictions"), "image_id", "caption"));
        var r = CliRunner.run("eval", "caption", "--predictions", pred.toString(), "--data", ann.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        assertEquals(expected.get("Bleu_4").asDouble(), JSON.readTree(r.out()).get("Bleu_4").asDouble(), 1e-12);
        assertEquals(expected.get("CIDEr").asDouble(), JSON.readTree(r.out()).get("CIDEr").asDouble(), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(strings = {"handmade_normalisation", "generated_40"})
    void vqaAccuracyOfAResultFileEqualsTheOfficialEvaluation(String name) throws Exception {
        JsonNode c = JSON.readTree(METRICS.resolve("vqa").resolve(name).resolve("case.json").toFile());
        JsonNode acc = JSON.readTree(METRICS.resolve("vqa").resolve(name).resolve("accuracy.json").toFile());
        Path ann = tmp.resolve("ann.json");
        Path pred = tmp.resolve("res.json");
        JSON.writeValue(ann.toFile(), c.get("annotations"));
        JSON.writeValue(pred.toFile(), c.get("results"));

        var r = CliRunner.run("eval", "vqa", "--predictions", pred.toString(), "--data", ann.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode got = JSON.readTree(r.out());
        JsonNode full = acc.get("full_precision");
        assertEquals(List.of("overall", "perAnswerType"), fieldNames(got));
        assertEquals(full.get("overall").asDouble(), got.get("overall").asDouble(), 0.0, name);
        // the official code keeps a Python 2 dict (arbitrary order); ours is first appearance
        assertEquals(new java.util.TreeSet<>(fieldNames(full.get("perAnswerType"))),
                new java.util.TreeSet<>(fieldNames(got.get("perAnswerType"))));
        for (String type : fieldNames(full.get("perAnswerType"))) {
            assertEquals(full.get("perAnswerType").get(type).asDouble(), got.get("perAnswerType").get(type).asDouble(),
                    0.0, name + " " + type);
        }
        var table = CliRunner.run("eval", "vqa", "--predictions", pred.toString(), "--data", ann.toString());
        assertEquals(0, table.exit(), table.err());
        assertTrue(table.out().contains(String.format(Locale.ROOT, "%-16s %8.2f", "overall",
                acc.get("official_n2").get("overall").asDouble())), table.out());
    }

    @Test
    void vqaResultsMissingAQuestionFail() throws Exception {
        JsonNode c = JSON.readTree(METRICS.resolve("vqa/handmade_normalisation/case.json").toFile());
        Path ann = tmp.resolve("ann.json");
        Path pred = tmp.resolve("res.json");
        JSON.writeValue(ann.toFile(), c.get("annotations"));
        ArrayNode results = (ArrayNode) c.get("results").deepCopy();
        long dropped = results.remove(0).get("question_id").asLong();
        JSON.writeValue(pred.toFile(), results);
        var r = CliRunner.run("eval", "vqa", "--predictions", pred.toString(), "--data", ann.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("res.json") && r.err().contains(Long.toString(dropped)), r.err());
    }

    @Test
    void retrievalRunsOnTinyAAndPrintsEveryRecall() throws Exception {
        String ann = world.resolve("test.json").toString();
        var r = CliRunner.run("eval", "retrieval", "--model", MODEL.toString(), "--data", ann, "--images",
                world.toString(), "--k-test", "16", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode got = JSON.readTree(r.out());
        assertEquals(RETRIEVAL_KEYS, fieldNames(got));
        for (String key : RETRIEVAL_KEYS) {
            double v = got.get(key).asDouble();
            assertTrue(v >= 0 && v <= 100, key + " = " + v);
        }
        // 20 images: TR@10 counts at least... nothing certain with random weights, but R@1 <= R@5 <= R@10
        assertTrue(got.get("txt_r1").asDouble() <= got.get("txt_r5").asDouble());
        assertTrue(got.get("img_r5").asDouble() <= got.get("img_r10").asDouble());

        var table = CliRunner.run("eval", "retrieval", "--model", MODEL.toString(), "--data", ann, "--images",
                world.toString(), "--k-test", "16", "--cache-mb", "0");
        assertEquals(0, table.exit(), table.err());
        assertTrue(table.out().contains("20 images, 100 texts, k_test 16"), table.out());
        assertTrue(table.out().contains(String.format(Locale.ROOT, "%8.2f", got.get("r_mean").asDouble())),
                "re-encoding instead of caching gives the same recalls: " + table.out());
    }

    @Test
    void captionGeneratesWritesAndScoresOnTinyA() throws Exception {
        Path pred = tmp.resolve("out/pred.json");
        var r = CliRunner.run("eval", "caption", "--model", MODEL.toString(), "--data",
                world.resolve("test_gt.json").toString(), "--images", world.toString(), "--greedy", "--max-length",
                "12", "--out", pred.toString(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode got = JSON.readTree(r.out());
        assertEquals(CAPTION_KEYS, fieldNames(got));
        JsonNode written = JSON.readTree(pred.toFile());
        assertEquals(20, written.size());
        assertEquals(1, written.get(0).get("image_id").asLong(), "ids from the COCO file, in its order");
        assertTrue(written.get(0).get("caption").isTextual());
        assertEquals(List.of("image_id", "caption"), fieldNames(written.get(0)));

        // the saved file scored against the Karpathy-style twin of the references gives the same numbers
        var again = CliRunner.run("eval", "caption", "--predictions", pred.toString(), "--data",
                world.resolve("test.json").toString(), "--json");
        assertEquals(0, again.exit(), again.err());
        assertEquals(got, JSON.readTree(again.out()));
    }

    @Test
    void badInvocationsExitNonZeroWithAReason() throws Exception {
        var none = CliRunner.run("eval", "caption", "--data", world.resolve("test.json").toString());
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("--predictions"), none.err());

        Path pred = tmp.resolve("p.json");
        Files.writeString(pred, "[]");
        var both = CliRunner.run("eval", "caption", "--model", MODEL.toString(), "--predictions", pred.toString(),
                "--data", world.resolve("test.json").toString());
        assertEquals(2, both.exit());

        var noPreds = CliRunner.run("eval", "caption", "--predictions", pred.toString(), "--data",
                world.resolve("test.json").toString());
        assertEquals(2, noPreds.exit());
        assertTrue(noPreds.err().contains("p.json"), noPreds.err());

        Path broken = tmp.resolve("broken.json");
        Files.writeString(broken, "[{\"image\": \"images/test_00001.png\"}]");
        var retrieval = CliRunner.run("eval", "retrieval", "--model", MODEL.toString(), "--data", broken.toString(),
                "--images", world.toString());
        assertEquals(2, retrieval.exit());
        assertTrue(retrieval.err().contains("broken.json") && retrieval.err().contains("caption"), retrieval.err());

        Path noFileName = tmp.resolve("coco.json");
        Files.writeString(noFileName, "{\"images\": [{\"id\": 1}], \"annotations\": [{\"image_id\": 1, "
                + "\"caption\": \"a cat\"}]}");
        var coco = CliRunner.run("eval", "caption", "--model", MODEL.toString(), "--data", noFileName.toString(),
                "--images", world.toString());
        assertEquals(2, coco.exit());
        assertTrue(coco.err().contains("coco.json images[0]") && coco.err().contains("file_name"), coco.err());

        assertEquals(2, CliRunner.run("eval").exit(), "a subcommand is required");
    }

    /** COCO caption file from {"id": [captions]}: images in key order, annotation ids 1..N. */
    static ObjectNode coco(JsonNode references) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode images = root.putArray("images");
        ArrayNode anns = root.putArray("annotations");
        int annId = 1;
        for (Iterator<Map.Entry<String, JsonNode>> it = references.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            long id = Long.parseLong(e.getKey());
            images.addObject().put("id", id);
            for (JsonNode cap : e.getValue()) {
                anns.addObject().put("image_id", id).put("id", annId++).put("caption", cap.asText());
            }
        }
        return root;
    }

    static ArrayNode results(JsonNode byId, String idKey, String valueKey) {
        ArrayNode out = JSON.createArrayNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = byId.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.addObject().put(idKey, Long.parseLong(e.getKey())).put(valueKey, e.getValue().asText());
        }
        return out;
    }

    static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
