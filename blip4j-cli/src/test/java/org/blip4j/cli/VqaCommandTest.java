package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code blip vqa} on the tiny-a-vqa parity model: answers equal the official ones. */
class VqaCommandTest {
    static final Path SET = Path.of("../blip4j-core/src/test/resources/parity/tiny-a-vqa").toAbsolutePath()
            .normalize();
    static final Path MODEL = SET.resolve("model");
    static final Path IMAGES = SET.resolve("images");
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ANSWERS = "[\"yes\", \"no\", \"2\", \"red\", \"blue\", \"dog\", \"a hat\", \"three\","
            + " \"green\", \"two dogs\", \"on the table\", \"a dog\"]";

    @TempDir
    Path tmp;

    static final String Q3 = "What's the OLD man at the café holding -- a smørrebrød, a kite or two small dogs"
            + " (near the tall tree) in the park?!";

    @Test
    void greedyAnswerEqualsTheOfficialOne() throws Exception {
        // question 3 fills all 35 positions, so alone it has the same (unpadded) states as in the golden batch
        String img = IMAGES.resolve("img3_gray_50x40.png").toString();
        var r = CliRunner.run("vqa", "--model", MODEL.toString(), "--image", img, "--question", Q3, "--beams", "1",
                "--raw-question", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode n = JSON.readTree(r.out().trim());
        assertEquals(img, n.get("image").asText());
        assertEquals(Q3, n.get("question").asText());
        assertEquals("street street street street", n.get("answer").asText());
    }

    @Test
    void unreadableImageIsNamed() throws Exception {
        Path bad = tmp.resolve("broken.png");
        Files.write(bad, new byte[] {1, 2, 3});
        var r = CliRunner.run("vqa", "--model", MODEL.toString(), "--image", bad.toString(), "--question", "what?");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("broken.png"), r.err());
    }

    @Test
    void rankModeAnswersFromTheCandidateList() throws Exception {
        Path answers = tmp.resolve("answer_list.json");
        Files.writeString(answers, ANSWERS);
        var r = CliRunner.run("vqa", "--model", MODEL.toString(), "--image",
                IMAGES.resolve("img3_gray_50x40.png").toString(), "--question", Q3, "--mode", "rank", "--answers",
                answers.toString(), "--k-test", "5", "--raw-question");
        assertEquals(0, r.exit(), r.err());
        assertEquals("three", r.out().trim());
    }

    @Test
    void questionFileIsAnsweredIntoAPredictionFileAndBadImagesReported() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("imgs"));
        for (String f : List.of("img0_blocks_64x64.png", "img1_gradient_64x64.png", "img2_nonsquare_150x110.png",
                "img3_gray_50x40.png")) {
            Files.copy(IMAGES.resolve(f), root.resolve(f));
        }
        Files.write(root.resolve("broken.png"), new byte[] {1, 2, 3});
        Path questions = tmp.resolve("vqa_test.json");
        Files.writeString(questions, "[" + String.join(",",
                entry(0, "img0_blocks_64x64.png", "what color is the square?"),
                entry(1, "img1_gradient_64x64.png", "How many dogs are there?"),
                entry(7, "broken.png", "what?"),
                entry(2, "img2_nonsquare_150x110.png", "is the man wearing a hat"),
                entry(3, "img3_gray_50x40.png", Q3)) + "]");
        Path answers = tmp.resolve("answers.txt");
        Files.writeString(answers, String.join("\n", JSON.readValue(ANSWERS, String[].class)) + "\n");
        Path out = tmp.resolve("pred.json");
        var r = CliRunner.run("vqa", "--model", MODEL.toString(), "--questions", questions.toString(), "--images",
                root.toString(), "--out", out.toString(), "--mode", "rank", "--answers", answers.toString(),
                "--k-test", "5", "--raw-question", "--batch-size", "5");
        assertEquals(1, r.exit(), "an unreadable image makes the exit status non-zero");
        assertTrue(r.err().contains("broken.png"), r.err());
        JsonNode pred = JSON.readTree(out.toFile());
        assertEquals(4, pred.size());
        String[] expected = {"green", "green", "green", "three"};
        for (int i = 0; i < 4; i++) {
            assertEquals(i, pred.get(i).get("question_id").asLong());
            assertEquals(expected[i], pred.get(i).get("answer").asText());
        }
    }

    static String entry(long id, String image, String question) throws Exception {
        return JSON.writeValueAsString(java.util.Map.of("question_id", id, "image", image, "question", question));
    }

    @Test
    void beamAnswersOfTheGoldenBatch() throws Exception {
        // the 4 golden questions in one batch (padding to 35 as in the golden): beam answers are the 4.15 port's
        Path questions = tmp.resolve("q.json");
        Files.writeString(questions, "{\"questions\": ["
                + "{\"question_id\": 10, \"image_id\": 0, \"question\": \"what color is the square?\"},"
                + "{\"question_id\": 11, \"image_id\": 1, \"question\": \"How many dogs are there?\"},"
                + "{\"question_id\": 12, \"image_id\": 2, \"question\": \"is the man wearing a hat\"},"
                + "{\"question_id\": 13, \"image_id\": 3, \"question\": \"What's the OLD man at the café holding -- a"
                + " smørrebrød, a kite or two small dogs (near the tall tree) in the park?!\"}]}");
        Path root = Files.createDirectories(tmp.resolve("byid"));
        String[] files = {"img0_blocks_64x64.png", "img1_gradient_64x64.png", "img2_nonsquare_150x110.png",
            "img3_gray_50x40.png"};
        for (int i = 0; i < 4; i++) {
            Files.copy(IMAGES.resolve(files[i]), root.resolve("COCO_val2014_00000000000" + i + ".png"));
        }
        Path out = tmp.resolve("pred.json");
        var r = CliRunner.run("vqa", "--model", MODEL.toString(), "--questions", questions.toString(), "--images",
                root.toString(), "--out", out.toString(), "--raw-question");
        assertEquals(0, r.exit(), r.err());
        JsonNode pred = JSON.readTree(out.toFile());
        assertEquals("along old window along along along old along along", pred.get(0).get("answer").asText());
        assertEquals("sandwich", pred.get(1).get("answer").asText());
        assertEquals("many street street street", pred.get(2).get("answer").asText());
        assertEquals("street street street street", pred.get(3).get("answer").asText());
    }

    @Test
    void usageErrorsAreOneClearLine() {
        var r = CliRunner.run("vqa", "--model", MODEL.toString(), "--image", "x.png");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--question"), r.err());
        var rank = CliRunner.run("vqa", "--model", MODEL.toString(), "--image", "x.png", "--question", "q", "--mode",
                "rank");
        assertEquals(2, rank.exit());
        assertTrue(rank.err().contains("--answers"), rank.err());
    }
}
