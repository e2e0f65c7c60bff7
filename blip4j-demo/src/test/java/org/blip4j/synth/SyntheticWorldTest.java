package org.blip4j.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.blip4j.eval.CaptionReferences;
import org.blip4j.eval.VqaAnnotations;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End to end on a small world: files, counts, formats, determinism. */
class SyntheticWorldTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FILES = List.of("web.json", "web_noise.json", "web_meta.json", "human.json",
            "test.json", "test_gt.json", "scenes.json", "vqa_train.json", "vqa_test.json", "vqa_test_questions.json",
            "vqa_test_annotations.json", "world.json");

    @TempDir
    static Path tmp;
    static Path first;
    static SynthResult result;

    @BeforeAll
    static void generate() throws IOException {
        first = tmp.resolve("a");
        result = SyntheticWorld.generate(options(first, 7));
    }

    private static SynthOptions options(Path out, long seed) {
        return SynthOptions.defaults(out).withSeed(seed).withSize(30).withSplitSizes(12, 10).withImageSize(64)
                .withThreads(2);
    }

    @Test
    void countsPerSplitFollowTheOptions() throws IOException {
        assertEquals(30, result.webImages());
        assertEquals(12, result.humanImages());
        assertEquals(10, result.testImages());
        assertEquals(30, read("web.json").size());
        assertEquals(12, read("human.json").size());
        assertEquals(10, read("test.json").size());
        assertEquals(52, countFiles(first.resolve("images")));
        assertEquals(Map.of(NoiseKind.CLEAN, 18, NoiseKind.MISMATCHED, 4, NoiseKind.ATTRIBUTE, 4, NoiseKind.JUNK, 4),
                result.noiseCounts());
        JsonNode world = read("world.json");
        assertEquals(7, world.get("seed").asLong());
        assertEquals(30, world.at("/counts/web").asInt());
        assertEquals(18, world.at("/counts/web_noise/clean").asInt());
        assertEquals(Vocabulary.captionWords().size(), world.get("vocabulary").size());
        // Automatic split sizes: 10% of the web size, at least 20.
        SynthOptions auto = SynthOptions.defaults(first).withSize(1500);
        assertEquals(150, auto.humanCount());
        assertEquals(150, auto.testCount());
        assertEquals(20, auto.withSize(40).testCount());
    }

    @Test
    void webTextsAreSingleStringsAndEveryIndexIsLabelled() throws IOException {
        JsonNode web = read("web.json");
        JsonNode noise = read("web_noise.json");
        assertEquals(web.size(), noise.size());
        Set<String> labels = Set.of("clean", "mismatched", "attribute", "junk");
        for (int i = 0; i < web.size(); i++) {
            assertEquals(String.format("images/web_%05d.png", i + 1), web.get(i).get("image").asText());
            assertTrue(web.get(i).get("caption").isTextual());
            assertTrue(labels.contains(noise.get(Integer.toString(i)).asText()), "label of " + i);
        }
        JsonNode meta = read("web_meta.json");
        for (int i = 0; i < web.size(); i++) {
            assertEquals(web.get(i).get("caption").asText(), meta.get(i).get("text").asText());
            assertEquals(noise.get(Integer.toString(i)).asText(), meta.get(i).get("noise").asText());
            boolean clean = meta.get(i).get("noise").asText().equals("clean");
            assertEquals(clean, meta.get(i).get("text").asText().equals(meta.get(i).get("truth").asText()), "" + i);
        }
    }

    @Test
    void humanSplitIsCleanWithSeveralCaptions() throws IOException {
        JsonNode human = read("human.json");
        for (JsonNode e : human) {
            assertEquals(3, e.get("caption").size());
            assertEquals(3, new HashSet<>(texts(e.get("caption"))).size(), "distinct paraphrases");
            assertTrue(Files.isRegularFile(first.resolve(e.get("image").asText())));
        }
    }

    @Test
    void testSplitHasFiveReferencesAndAConsistentCocoFile() throws IOException {
        JsonNode test = read("test.json");
        JsonNode gt = read("test_gt.json");
        assertEquals(test.size(), gt.get("images").size());
        assertEquals(5 * test.size(), gt.get("annotations").size());
        Set<Integer> annIds = new HashSet<>();
        for (int i = 0; i < test.size(); i++) {
            JsonNode e = test.get(i);
            String image = e.get("image").asText();
            int id = e.get("image_id").asInt();
            assertEquals(5, e.get("caption").size());
            assertEquals(5, new HashSet<>(texts(e.get("caption"))).size());
            assertEquals(CaptionReferences.imageIdFromPath(image, -1), id, "image_id is the file's number");
            assertEquals(id, gt.get("images").get(i).get("id").asInt());
            assertEquals(image, gt.get("images").get(i).get("file_name").asText());
        }
        for (JsonNode a : gt.get("annotations")) {
            assertTrue(annIds.add(a.get("id").asInt()), "annotation ids are unique");
        }
        // The project's own readers see the same references through either file.
        CaptionReferences karpathy = CaptionReferences.readKarpathy(first.resolve("test.json"));
        CaptionReferences coco = CaptionReferences.readCoco(first.resolve("test_gt.json"));
        assertEquals(karpathy.captions(), coco.captions());
    }

    @Test
    void vqaFilesAreConsistentAndReadableByTheEvaluator() throws IOException {
        JsonNode train = read("vqa_train.json");
        assertEquals(3 * (30 + 12), train.size());
        for (JsonNode e : train) {
            assertEquals(1, e.get("answer").size());
            assertTrue(Files.isRegularFile(first.resolve(e.get("image").asText())));
        }
        JsonNode test = read("vqa_test.json");
        JsonNode questions = read("vqa_test_questions.json").get("questions");
        VqaAnnotations anns = VqaAnnotations.read(first.resolve("vqa_test_annotations.json"));
        assertEquals(3 * 10, test.size());
        assertEquals(test.size(), questions.size());
        assertEquals(test.size(), anns.questions().size());
        for (int i = 0; i < test.size(); i++) {
            long id = test.get(i).get("question_id").asLong();
            assertEquals(id, questions.get(i).get("question_id").asLong());
            assertEquals(id, anns.questions().get(i).questionId());
            assertEquals(test.get(i).get("question").asText(), questions.get(i).get("question").asText());
            assertEquals(CaptionReferences.imageIdFromPath(test.get(i).get("image").asText(), -1),
                    questions.get(i).get("image_id").asLong());
            assertEquals(10, anns.questions().get(i).answers().size());
        }
    }

    @Test
    void imagesHaveTheConfiguredSizeAndResolveRelativeToTheOutputDirectory() throws IOException {
        for (JsonNode e : read("test.json")) {
            BufferedImage img = ImageIO.read(first.resolve(e.get("image").asText()).toFile());
            assertEquals(64, img.getWidth());
            assertEquals(64, img.getHeight());
        }
    }

    @Test
    void sameSeedGivesIdenticalFilesAndPixels() throws IOException {
        Path second = tmp.resolve("b");
        // A restart over the leftovers of an earlier run: every file is rewritten, whatever was there.
        Files.createDirectories(second.resolve("images"));
        Files.writeString(second.resolve("web.json"), "garbage");
        Files.writeString(second.resolve("images/web_00001.png"), "garbage");
        SyntheticWorld.generate(options(second, 7).withThreads(1)); // thread count must not matter
        for (String f : FILES) {
            assertArrayEquals(Files.readAllBytes(first.resolve(f)), Files.readAllBytes(second.resolve(f)), f);
        }
        for (String f : List.of("images/web_00001.png", "images/web_00030.png", "images/human_00012.png",
                "images/test_00003.png")) {
            assertArrayEquals(pixels(first.resolve(f)), pixels(second.resolve(f)), f);
        }
        try (var s = Files.walk(second)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void aVisionSplitAddsLabelledImagesAndChangesNoOtherFile() throws IOException {
        Path withVision = tmp.resolve("v");
        SyntheticWorld.generate(options(withVision, 7).withVisionSize(25));
        for (String f : FILES) {
            if (!f.equals("world.json")) {
                assertArrayEquals(Files.readAllBytes(first.resolve(f)), Files.readAllBytes(withVision.resolve(f)), f);
            }
        }
        assertFalse(Files.exists(first.resolve(SyntheticWorld.VISION_LABELS)));
        JsonNode labels = JSON.readTree(withVision.resolve(SyntheticWorld.VISION_LABELS).toFile());
        assertEquals(25, labels.size());
        assertEquals(25, JSON.readTree(withVision.resolve("world.json").toFile()).path("counts").path("vision")
                .asInt());
        for (JsonNode r : labels) {
            assertTrue(r.get("image").asText().startsWith("images/vision_"));
            assertTrue(Files.isRegularFile(withVision.resolve(r.get("image").asText())));
            for (JsonNode o : r.get("objects")) {
                double x = o.get("x").asDouble();
                assertTrue(x >= 0 && x <= 1, r.toString());
                assertTrue(o.get("labels").has("shape") && o.get("labels").has("colour") && o.get("labels")
                        .has("size"), r.toString());
            }
            assertEquals(r.get("objects").size(), r.get("labels").get("position").size());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SynthOptions.defaults(tmp).withVisionSize(-1))
                .getMessage().contains("vision"));
    }

    @Test
    void fiveHumanCaptionsLikeCocoKeepTheHumanImagesAndTheOtherSplits() throws IOException {
        Path coco = tmp.resolve("coco");
        SyntheticWorld.generate(options(coco, 7).withHumanCaptions(5));
        JsonNode human = JSON.readTree(coco.resolve("human.json").toFile());
        JsonNode three = read("human.json");
        assertEquals(three.size(), human.size());
        for (int i = 0; i < human.size(); i++) {
            JsonNode e = human.get(i);
            assertEquals(5, e.get("caption").size(), e.toString());
            assertEquals(5, new HashSet<>(texts(e.get("caption"))).size(), "distinct paraphrases: " + e);
            assertEquals(three.get(i).get("image").asText(), e.get("image").asText());
            String img = e.get("image").asText();
            assertArrayEquals(pixels(first.resolve(img)), pixels(coco.resolve(img)), "same scene: " + img);
        }
        for (String f : new String[] {"web.json", "web_noise.json", "test.json", "test_gt.json"}) {
            assertArrayEquals(Files.readAllBytes(first.resolve(f)), Files.readAllBytes(coco.resolve(f)), f);
        }
        assertEquals(5, JSON.readTree(coco.resolve("world.json").toFile()).path("human_captions").asInt());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SynthOptions.defaults(tmp)
                .withHumanCaptions(6)).getMessage().contains("captions per human image"));
    }

    @Test
    void differentSeedGivesADifferentWorld() throws IOException {
        Path other = tmp.resolve("c");
        SyntheticWorld.generate(options(other, 8));
        assertFalse(Arrays.equals(Files.readAllBytes(first.resolve("web.json")),
                Files.readAllBytes(other.resolve("web.json"))));
        assertFalse(Arrays.equals(pixels(first.resolve("images/web_00001.png")),
                pixels(other.resolve("images/web_00001.png"))));
    }

    @Test
    void invalidOptionsAreRejectedWithAReason() {
        SynthOptions ok = SynthOptions.defaults(tmp);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ok.withNoise(1.5)).getMessage()
                .contains("noise"));
        assertThrows(IllegalArgumentException.class, () -> ok.withNoise(Double.NaN));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ok.withSize(3)).getMessage().contains("size"));
        assertThrows(IllegalArgumentException.class, () -> ok.withImageSize(8));
        assertThrows(IllegalArgumentException.class, () -> ok.withThreads(0));
    }

    private static JsonNode read(String name) throws IOException {
        return JSON.readTree(first.resolve(name).toFile());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int[] pixels(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static long countFiles(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".png")).count();
        }
    }
}
