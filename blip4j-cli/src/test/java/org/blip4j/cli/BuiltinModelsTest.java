package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.blip4j.synth.Colour;
import org.blip4j.synth.Shape;
import org.blip4j.synth.Vocabulary;
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
        List<String> words = List.of(caption.split(" "));
        assertTrue(Vocabulary.captionWords().containsAll(words), "caption words outside the world: " + caption);
        // the caption names an object of the image: a shape word and a colour word of its true caption
        List<String> truthWords = List.of(truth.split(" "));
        assertTrue(Arrays.stream(Shape.values()).map(Shape::word).anyMatch(w -> words.contains(w)
                && truthWords.contains(w)), "no shape of the image in \"" + caption + "\" (truth: " + truth + ")");
        assertTrue(Arrays.stream(Colour.values()).map(Colour::word).anyMatch(w -> words.contains(w)
                && truthWords.contains(w)), "no colour of the image in \"" + caption + "\" (truth: " + truth + ")");
        var itm = CliRunner.run("itm", "--model", "builtin:shapes-filter", "--image", img, "--text", truth,
                "click here to buy now", "--json");
        assertEquals(0, itm.exit(), itm.err());
        var lines = itm.out().lines().toList();
        double match = new ObjectMapper().readTree(lines.get(0)).get("itm").asDouble();
        double junk = new ObjectMapper().readTree(lines.get(1)).get("itm").asDouble();
        assertTrue(match > junk, "the true caption (" + match + ") scores above junk (" + junk + ")");
        assertTrue(match > 0.5 && junk < 0.5, "the filter keeps the true caption (" + match + ") and removes junk ("
                + junk + ")");
    }
}
