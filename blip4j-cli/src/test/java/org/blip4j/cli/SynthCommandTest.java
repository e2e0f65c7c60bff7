package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code blip synth} wires SyntheticWorld: the files, the summary, determinism, bad options. */
class SynthCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheWorldAndPrintsItsSummary() throws Exception {
        Path out = tmp.resolve("w");
        var r = CliRunner.run("synth", "--out", out.toString(), "--size", "12", "--image-size", "48", "--seed", "9",
                "--noise", "0.5", "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith(out + ": 12 web ("), r.out());
        assertTrue(r.out().contains("20 human, 20 test images"), r.out());
        for (String f : new String[] {"web.json", "web_noise.json", "web_meta.json", "human.json", "test.json",
            "test_gt.json", "scenes.json", "vqa_train.json", "vqa_test.json", "vqa_test_questions.json",
            "vqa_test_annotations.json", "world.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        try (Stream<Path> images = Files.list(out.resolve("images"))) {
            assertEquals(52, images.filter(p -> p.toString().endsWith(".png")).count());
        }
        JsonNode world = new ObjectMapper().readTree(out.resolve("world.json").toFile());
        assertTrue(world.toString().contains("0.5"), "options recorded: " + world);
        assertEquals(5, new ObjectMapper().readTree(out.resolve("test.json").toFile()).get(0).get("caption").size());

        Path again = tmp.resolve("again");
        var r2 = CliRunner.run("synth", "--out", again.toString(), "--size", "12", "--image-size", "48", "--seed",
                "9", "--noise", "0.5");
        assertEquals(0, r2.exit(), r2.err());
        assertArrayEquals(Files.readAllBytes(out.resolve("web.json")), Files.readAllBytes(again.resolve("web.json")),
                "same seed, same output, whatever the thread count");
        assertArrayEquals(Files.readAllBytes(out.resolve("images/test_00007.png")),
                Files.readAllBytes(again.resolve("images/test_00007.png")));
    }

    @Test
    void humanCaptionsSetsTheCaptionsPerHumanImage() throws Exception {
        Path out = tmp.resolve("coco");
        var r = CliRunner.run("synth", "--out", out.toString(), "--size", "12", "--image-size", "48",
                "--human-captions", "5", "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        for (JsonNode e : new ObjectMapper().readTree(out.resolve("human.json").toFile())) {
            assertEquals(5, e.get("caption").size(), e.toString());
        }
        var bad = CliRunner.run("synth", "--out", tmp.resolve("bad").toString(), "--human-captions", "0");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("captions per human image"), bad.err());
    }

    @Test
    void badOptionsExitNonZeroNamingTheProblem() {
        var r = CliRunner.run("synth", "--out", tmp.toString(), "--noise", "1.5");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("noise"), r.err());
        assertEquals(2, CliRunner.run("synth", "--size", "20").exit(), "--out is required");
    }
}
