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
    void finetuneNlvrFromTheNlvrModelWritesAModelThatNlvrLoads() throws Exception {
        JsonNode examples = JSON.readTree(FIXTURE.resolve("golden.json").toFile()).path("examples");
        var ann = JSON.createArrayNode();
        for (JsonNode e : examples) {
            ann.addObject().put("sentence", e.path("sentence_raw").asText()).put("label",
                    e.path("label_annotation").asText()).putArray("images").add(e.path("image0").asText())
                    .add(e.path("image1").asText());
        }
        Files.writeString(tmp.resolve("train.json"), ann.toString());
        Path config = tmp.resolve("nlvr.yaml");
        Files.writeString(config, "task: nlvr\ntrain_file: [train.json]\nimage_root: " + FIXTURE.resolve("images")
                + "\ninit_from: " + FIXTURE.resolve("model") + "\nimage_size: 64\nbatch_size_train: 4\nmax_epoch: 1\n");
        Path out = tmp.resolve("run");
        CliRunner.Result r = CliRunner.run("finetune", "nlvr", "--config", config.toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        CliRunner.Result again = CliRunner.run("finetune", "nlvr", "--config", config.toString(), "--out",
                out.toString());
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("--resume"), again.err());
        CliRunner.Result p = CliRunner.run("nlvr", "--model", out.resolve("model").toString(), "--image0",
                FIXTURE.resolve("images/img0_blocks_64x64.png").toString(), "--image1",
                FIXTURE.resolve("images/img1_gradient_64x64.png").toString(), "--sentence", "two dogs", "--json");
        assertEquals(0, p.exit(), p.err());
        assertEquals(2, JSON.readTree(p.out()).path("logits").size());
        CliRunner.Result unknown = CliRunner.run("finetune", "nlvr", "--config", config.toString(), "--out",
                tmp.resolve("run2").toString(), "--set", "lr=1");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown keys [lr]"), unknown.err());
    }

    @Test
    void aModelOfAnotherTaskIsRefusedWithAClearMessage() {
        CliRunner.Result r = CliRunner.run("nlvr", "--model", CliRunner.TINY_A.resolve("model").toString(), "--image0",
                FIXTURE.resolve("images/img0_blocks_64x64.png").toString(), "--image1",
                FIXTURE.resolve("images/img1_gradient_64x64.png").toString(), "--sentence", "x");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("is not an NLVR2 model"), r.err());
        CliRunner.Result c = CliRunner.run("caption", "--model", FIXTURE.resolve("model").toString(),
                FIXTURE.resolve("images/img0_blocks_64x64.png").toString());
        assertEquals(2, c.exit());
        assertTrue(c.err().contains("is an NLVR2 model"), c.err());
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
