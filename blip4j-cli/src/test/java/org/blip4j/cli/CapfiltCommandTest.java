package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code blip capfilt} end to end on tiny-a (captioner = filter): outputs, resume, refusals, bad input. */
class CapfiltCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] IMAGES = {"img0_blocks_64x64.png", "img1_gradient_64x64.png",
        "img2_nonsquare_150x110.png", "img3_gray_50x40.png"};

    @TempDir
    Path tmp;

    /** 12 web records over tiny-a's images, 2 human ones, noise labels; returns the data root. */
    static Path writeInputs(Path root, int records) throws IOException {
        Files.createDirectories(root.resolve("images"));
        for (String name : IMAGES) {
            Files.copy(CliRunner.TINY_A.resolve("images").resolve(name), root.resolve("images").resolve(name));
        }
        ArrayNode web = JSON.createArrayNode();
        ObjectNode noise = JSON.createObjectNode();
        String[] kinds = {"clean", "mismatched", "attribute", "junk"};
        for (int i = 0; i < records; i++) {
            web.addObject().put("image", "images/" + IMAGES[i % 4]).put("caption", "web text number " + i);
            noise.put(Integer.toString(i), kinds[i % 4]);
        }
        JSON.writeValue(root.resolve("web.json").toFile(), web);
        JSON.writeValue(root.resolve("web_noise.json").toFile(), noise);
        ArrayNode human = JSON.createArrayNode();
        human.addObject().put("image", "images/" + IMAGES[0]).put("caption", "coloured blocks");
        human.addObject().put("image", "images/" + IMAGES[1]).put("caption", "a gradient");
        JSON.writeValue(root.resolve("human.json").toFile(), human);
        return root;
    }

    static List<String> args(Path root, Path out, String... extra) {
        String model = CliRunner.TINY_A.resolve("model").toString();
        List<String> a = new ArrayList<>(List.of("capfilt", "--captioner", model, "--filter", model, "--data",
                root.resolve("web.json").toString(), "--images", root.toString(), "--human",
                root.resolve("human.json").toString(), "--out", out.toString(), "--threads", "1"));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void bootstrapsResumesAndRefusesOtherArguments() throws IOException {
        Path root = writeInputs(tmp.resolve("in"), 12);
        Path out = tmp.resolve("out");
        var r = CliRunner.run(args(root, out, "--shard-size", "5", "--num-captions", "2", "--noise-labels",
                root.resolve("web_noise.json").toString(), "--shards").toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("synthetic ") && r.out().contains("human 2"), r.out());
        JsonNode data = JSON.readTree(out.resolve("bootstrapped.json").toFile());
        assertTrue(data.size() >= 2);
        int human = 0;
        for (JsonNode n : data) {
            assertTrue(n.has("image") && n.has("caption") && n.has("source") && n.has("itm"), n.toString());
            human += n.get("source").asText().equals("human") ? 1 : 0;
        }
        assertEquals(2, human);
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("precision of removal"), md);
        assertTrue(Files.exists(out.resolve("itm_histogram.png")));
        assertTrue(Files.exists(out.resolve("shards/manifest.json")));
        assertEquals(3, Files.list(out.resolve("parts")).count());
        byte[] first = Files.readAllBytes(out.resolve("bootstrapped.json"));

        var again = CliRunner.run(args(root, out, "--shard-size", "5", "--num-captions", "2", "--batch-size", "3")
                .toArray(String[]::new));
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("resuming: 12 of 12 records already done"), again.err());
        assertEquals(new String(first), Files.readString(out.resolve("bootstrapped.json")));

        var other = CliRunner.run(args(root, out, "--shard-size", "5", "--num-captions", "2", "--seed", "3")
                .toArray(String[]::new));
        assertEquals(2, other.exit());
        assertTrue(other.err().contains("seed: was 0, now 3"), other.err());
        assertFalse(other.err().contains("data_bytes"), "only the arguments that differ: " + other.err());
    }

    @Test
    void ensemblesOfCaptionersAndFiltersRunAndRecordTheirProvenance() throws IOException {
        Path root = writeInputs(tmp.resolve("in"), 4);
        String model = CliRunner.TINY_A.resolve("model").toString();
        Path single = tmp.resolve("single");
        var one = CliRunner.run(args(root, single, "--num-captions", "2").toArray(String[]::new));
        assertEquals(0, one.exit(), one.err());
        Path out = tmp.resolve("ensemble");
        var r = CliRunner.run(args(root, out, "--num-captions", "2", "--captioner", model, "--filter", model,
                "--filter-rule", "vote").toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("kept per image"), r.out());
        // the same model twice: the second captioner's texts are duplicates, two identical filters vote as one
        assertEquals(Files.readString(single.resolve("bootstrapped.json")),
                Files.readString(out.resolve("bootstrapped.json")));
        String args = Files.readString(out.resolve("capfilt.json"));
        assertTrue(args.contains(" + ") && args.contains("\"filter_rule\" : \"vote\""), args);
        for (JsonNode n : JSON.readTree(out.resolve("bootstrapped.json").toFile())) {
            if (n.get("source").asText().equals("synthetic")) {
                assertEquals(0, n.get("captioner").asInt(), n.toString());
                assertTrue(n.get("candidate").asInt() < 2, n.toString());
            }
        }
        var bad = CliRunner.run(args(root, tmp.resolve("bad"), "--filter-rule", "median").toArray(String[]::new));
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("unknown filter rule \"median\""), bad.err());
    }

    @Test
    void unreadableImagesAreReportedByNameAndSkipped() throws IOException {
        Path root = writeInputs(tmp.resolve("in"), 4);
        Files.writeString(root.resolve("images/bad.png"), "garbage");
        ArrayNode web = (ArrayNode) JSON.readTree(root.resolve("web.json").toFile());
        web.addObject().put("image", "images/bad.png").put("caption", "a picture");
        JSON.writeValue(root.resolve("web.json").toFile(), web);
        var r = CliRunner.run(args(root, tmp.resolve("out"), "--beams", "2").toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("skipped unreadable image images/bad.png"), r.err());
        assertTrue(r.err().contains("1 unreadable image(s) skipped"), r.err());
        JsonNode part = JSON.readTree(Files.readAllLines(tmp.resolve("out/parts/part-00000.jsonl")).stream()
                .filter(l -> l.contains("\"synthetic\"")).findFirst().orElseThrow());
        assertEquals("beam", part.get("strategy").asText());
        assertEquals(1.0, part.get("repetition_penalty").asDouble());
    }

    @Test
    void badInputExitsNonZeroNamingTheFile() throws IOException {
        Path root = writeInputs(tmp.resolve("in"), 2);
        Files.writeString(root.resolve("web.json"), "[{\"image\": \"images/x.png\", \"caption\": 3}]");
        var r = CliRunner.run(args(root, tmp.resolve("out")).toArray(String[]::new));
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("web.json") && r.err().contains("caption"), r.err());
        Files.delete(root.resolve("web.json"));
        var missing = CliRunner.run(args(root, tmp.resolve("o2")).toArray(String[]::new));
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("web.json: web data file not found"), missing.err());
        assertEquals(2, CliRunner.run("capfilt", "--data", "x").exit(), "required options");
        Files.writeString(root.resolve("web.json"), "[{\"image\": \"images/x.png\", \"caption\": \"x\"}]");
        var workers = CliRunner.run(args(root, tmp.resolve("o3"), "--workers", "0").toArray(String[]::new));
        assertEquals(2, workers.exit());
        assertTrue(workers.err().contains("workers must be >= 1"), workers.err());
    }
}
