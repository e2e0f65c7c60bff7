package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code blip nlvr} (one pair, a file) and {@code blip eval nlvr} on tiny-a-nlvr, checked against its goldens. */
class NlvrCommandTest {
    static final Path FIXTURE = Path.of("../blip4j-core/src/test/resources/parity/tiny-a-nlvr").toAbsolutePath()
            .normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void onePairPrintsTheOfficialLogitsAsJson() throws Exception {
        JsonNode golden = JSON.readTree(FIXTURE.resolve("golden.json").toFile()).path("examples").get(2);
        CliRunner.Result r = CliRunner.run("nlvr", "--model", FIXTURE.resolve("model").toString(),
                "--image0", FIXTURE.resolve("images").resolve(golden.path("image0").asText()).toString(),
                "--image1", FIXTURE.resolve("images").resolve(golden.path("image1").asText()).toString(),
                "--sentence", golden.path("sentence_raw").asText(), "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode out = JSON.readTree(r.out());
        assertEquals(golden.path("sentence_raw").asText(), out.path("sentence").asText());
        for (int c = 0; c < 2; c++) {
            assertEquals(golden.path("logits").get(c).asDouble(), out.path("logits").get(c).asDouble(), 1e-4);
        }
        assertEquals(true, out.path("prediction").asBoolean());
        assertEquals(5, out.size(), "image0, image1, sentence, logits, prediction");
    }

    @Test
    void fileOfPairsWritesPredictionsAndAccuracySkippingABadImage() throws Exception {
        JsonNode examples = JSON.readTree(FIXTURE.resolve("golden.json").toFile()).path("examples");
        var ann = JSON.createArrayNode();
        for (JsonNode e : examples) {
            ann.addObject().put("sentence", e.path("sentence_raw").asText()).put("label",
                    e.path("label_annotation").asText()).putArray("images").add(e.path("image0").asText())
                    .add(e.path("image1").asText());
        }
        ann.addObject().put("sentence", "broken").put("label", "True").putArray("images").add("missing.png")
                .add(examples.get(0).path("image1").asText());
        Path file = tmp.resolve("nlvr_dev.json");
        Files.writeString(file, ann.toString());
        Path out = tmp.resolve("pred.json");
        String model = FIXTURE.resolve("model").toString();
        String root = FIXTURE.resolve("images").toString();
        CliRunner.Result r = CliRunner.run("nlvr", "--model", model, "--annotations", file.toString(),
                "--image-root", root, "--out", out.toString(), "--batch-size", "3", "--json");
        assertEquals(1, r.exit(), "a skipped pair makes the exit status non-zero: " + r.err());
        JsonNode summary = JSON.readTree(r.out());
        // official predictions [0, 0, 1, 0] against labels [1, 0, 1, 0]
        assertEquals(0.75, summary.path("accuracy").asDouble(), 1e-12);
        assertEquals(1, summary.path("skipped").asInt());
        assertTrue(r.err().contains("skipped record 4"), r.err());
        JsonNode rows = JSON.readTree(out.toFile());
        assertEquals(4, rows.size());
        assertEquals(false, rows.get(0).path("prediction").asBoolean());
        assertEquals(true, rows.get(2).path("prediction").asBoolean());

        CliRunner.Result eval = CliRunner.run("eval", "nlvr", "--model", model, "--annotations", file.toString(),
                "--image-root", root);
        assertEquals(1, eval.exit(), eval.err());
        assertTrue(eval.out().contains("accuracy 0.7500 (3 of 4 labelled pairs)"), eval.out());
    }

    @Test
    void anImagePathLeavingTheRootIsRefused() throws Exception {
        Path file = tmp.resolve("evil.json");
        Files.writeString(file, "[{\"images\": [\"../../etc/passwd\", \"a.png\"], \"sentence\": \"x\", \"label\": \"True\"}]");
        CliRunner.Result r = CliRunner.run("eval", "nlvr", "--model", FIXTURE.resolve("model").toString(),
                "--annotations", file.toString(), "--image-root", tmp.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("record 0") && r.err().contains("leaves the image root"), r.err());
    }
}
