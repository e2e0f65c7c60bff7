package org.blip4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** File readers, the result's renderings and the evaluator's errors; numbers come from the realistic_small case. */
class CaptionFormatsTest {
    @TempDir
    Path dir;

    private Path write(String name, String json) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, json);
        return p;
    }

    /** realistic_small rewritten as a COCO annotation file and a BLIP result file gives the fixture's scores. */
    @Test
    void cocoAndBlipFilesReproduceFixtureScores() throws IOException {
        CaptionReferences refs = CaptionFixtures.references("realistic_small");
        var mapper = CaptionFixtures.MAPPER;
        var coco = mapper.createObjectNode();
        var images = coco.putArray("images");
        var anns = coco.putArray("annotations");
        refs.captions().forEach((id, caps) -> {
            images.addObject().put("id", id);
            caps.forEach(c -> anns.addObject().put("image_id", id).put("caption", c));
        });
        var results = mapper.createArrayNode();
        CaptionFixtures.predictions("realistic_small").captions()
                .forEach((id, c) -> results.addObject().put("image_id", id).put("caption", c));

        CaptionScores scores = new CaptionEvaluator().evaluate(
                CaptionReferences.readCoco(write("gt.json", coco.toString())),
                CaptionPredictions.read(write("res.json", results.toString())));
        JsonNode expected = CaptionFixtures.json("captions/realistic_small/scores.json");
        for (String metric : CaptionEvaluator.METRICS) {
            assertEquals(expected.get(metric).asDouble(), scores.corpus().get(metric), 1e-12, metric);
        }

        assertEquals(List.of("METEOR", "SPICE"), scores.notComputed().stream().map(NotComputed::metric).toList());
        String table = scores.toTable();
        assertTrue(table.contains(String.format(java.util.Locale.ROOT, "CIDEr    %10.4f",
                expected.get("CIDEr").asDouble())), table);
        assertTrue(table.contains("METEOR          n/a  (not implemented"), table);
        JsonNode json = mapper.readTree(scores.toJson());
        assertEquals(expected.get("Bleu_4").asDouble(), json.get("corpus").get("Bleu_4").asDouble(), 0.0);
        assertEquals("SPICE", json.get("notComputed").get(1).get("metric").asText());
        String firstId = expected.get("image_ids").get(0).asText();
        assertEquals(expected.get("imgToEval").get(firstId).get("ROUGE_L").asDouble(),
                json.get("imgToEval").get(firstId).get("ROUGE_L").asDouble(), 0.0);
    }

    @Test
    void karpathyIdsComeFromTheFileNameOrTheIndex() throws IOException {
        Path file = write("karpathy.json", """
                [{"image": "val2014/COCO_val2014_000000391895.jpg", "caption": ["a man", "a person"]},
                 {"image": "flickr/1000092795.jpg", "caption": "one caption"},
                 {"image": "no_number_here.png", "caption": ["x"]}]""");
        CaptionReferences refs = CaptionReferences.readKarpathy(file);
        Map<Long, List<String>> want = new LinkedHashMap<>();
        want.put(391895L, List.of("a man", "a person"));
        want.put(1000092795L, List.of("one caption"));
        want.put(2L, List.of("x"));
        assertEquals(want, refs.captions());
    }

    @Test
    void errorsNameTheFileAndField() throws IOException {
        Path gt = write("gt.json", """
                {"images": [{"id": 1}, {"id": 2}],
                 "annotations": [{"image_id": 1, "caption": "a dog"}, {"image_id": 2, "caption": "a cat"}]}""");
        CaptionReferences refs = CaptionReferences.readCoco(gt);

        Path res = write("res.json", "[{\"image_id\": 1, \"caption\": \"a dog\"}, {\"image_id\": 9, \"caption\": \"x\"}]");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new CaptionEvaluator().evaluate(refs, CaptionPredictions.read(res)));
        assertEquals(res + ": prediction for image_id 9, which has no references in " + gt, unknown.getMessage());

        Path dup = write("dup.json", "[{\"image_id\": 1, \"caption\": \"a\"}, {\"image_id\": 1, \"caption\": \"b\"}]");
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> CaptionPredictions.read(dup));
        assertEquals(dup + " [1]: second caption for image_id 1", twice.getMessage());

        Path badField = write("bad.json", "[{\"image_id\": \"abc\", \"caption\": \"a\"}]");
        IllegalArgumentException field = assertThrows(IllegalArgumentException.class,
                () -> CaptionPredictions.read(badField));
        assertEquals(badField + " [0]: field \"image_id\" must be an integer id, got \"abc\"", field.getMessage());

        Path orphan = write("orphan.json", "{\"images\": [{\"id\": 1}], \"annotations\": [{\"image_id\": 5, \"caption\": \"a\"}]}");
        IllegalArgumentException notListed = assertThrows(IllegalArgumentException.class,
                () -> CaptionReferences.readCoco(orphan));
        assertEquals(orphan + " annotations[0]: image_id 5 is not listed in \"images\"", notListed.getMessage());
    }

    @Test
    void onlyPredictedImagesAreEvaluatedAsTheToolkitDoes() {
        CaptionReferences refs = CaptionFixtures.references("realistic_small");
        Map<Long, String> some = new LinkedHashMap<>();
        CaptionFixtures.predictions("realistic_small").captions().entrySet().stream().limit(3)
                .forEach(e -> some.put(e.getKey(), e.getValue()));
        CaptionScores scores = new CaptionEvaluator().evaluate(refs, CaptionPredictions.of(some, "partial"));
        assertEquals(List.copyOf(some.keySet()), scores.imageIds());
        assertEquals(refs.captions().size() - 3, scores.imagesWithoutPrediction());
    }

    @Test
    void lineBreaksThatWouldMisalignTheTokenizerAreRejected() {
        CaptionReferences refs = CaptionReferences.of(Map.of(1L, List.of("a dog\u2028on grass")), "refs");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CaptionEvaluator()
                .evaluate(refs, CaptionPredictions.of(Map.of(1L, "a dog"), "preds")));
        assertTrue(e.getMessage().startsWith("refs: caption for image_id 1 contains line break U+2028"), e.getMessage());
        // '\n' is replaced by a space, as the toolkit does
        assertEquals(List.of("a dog on grass", "two"), new PtbTokenizer().tokenize(List.of("A dog\non grass.", "Two")));
    }
}
