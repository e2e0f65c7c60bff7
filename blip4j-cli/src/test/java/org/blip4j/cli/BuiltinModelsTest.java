package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded demo models work on a fresh clone with no download. */
class BuiltinModelsTest {
    @TempDir
    Path tmp;

    @Test
    void builtinCaptionerAndFilterWorkOnTheShapesWorld() throws Exception {
        Path world = tmp.resolve("world");
        var s = CliRunner.run("synth", "--out", world.toString(), "--size", "10", "--image-size", "64", "--seed", "3");
        assertEquals(0, s.exit(), s.err());
        var test = new ObjectMapper().readTree(world.resolve("test.json").toFile());
        String img = world.resolve(test.get(0).get("image").asText()).toString();
        String truth = test.get(0).get("caption").get(0).asText();
        var cap = CliRunner.run("caption", "--model", "builtin:shapes-captioner", img);
        assertEquals(0, cap.exit(), cap.err());
        String caption = cap.out().trim().split("\t")[1].trim();
        assertTrue(!caption.isEmpty() && caption.split(" ").length >= 2, caption);
        var itm = CliRunner.run("itm", "--model", "builtin:shapes-filter", "--image", img, "--text", truth,
                "click here to buy now", "--json");
        assertEquals(0, itm.exit(), itm.err());
        var lines = itm.out().lines().toList();
        double match = new ObjectMapper().readTree(lines.get(0)).get("itm").asDouble();
        double junk = new ObjectMapper().readTree(lines.get(1)).get("itm").asDouble();
        assertTrue(match > junk, "the true caption (" + match + ") scores above junk (" + junk + ")");
    }
}
