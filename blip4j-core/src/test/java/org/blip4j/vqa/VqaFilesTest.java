package org.blip4j.vqa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.blip4j.eval.VqaPredictions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Question files (VQA v2 and BLIP layouts), answer lists and prediction files. */
class VqaFilesTest {
    @TempDir
    Path tmp;

    @Test
    void vqaV2QuestionsFindImagesByIdOrPath() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("val2014"));
        Files.write(root.resolve("COCO_val2014_000000391895.jpg"), new byte[] {1});
        Files.write(root.resolve("COCO_val2014_000000000042.png"), new byte[] {1});
        Path file = tmp.resolve("q.json");
        Files.writeString(file, "{\"questions\": ["
                + "{\"image_id\": 391895, \"question\": \"what?\", \"question_id\": 3918950},"
                + "{\"image_id\": \"42\", \"question\": \"who?\", \"question_id\": \"420\"},"
                + "{\"image_id\": 7, \"question\": \"where?\", \"question_id\": 70, \"image\": \"x/7.jpg\"}]}");
        List<VqaQuestion> qs = VqaQuestionFile.read(file, root);
        assertEquals(new VqaQuestion(3918950, "what?", root.resolve("COCO_val2014_000000391895.jpg")), qs.get(0));
        assertEquals(new VqaQuestion(420, "who?", root.resolve("COCO_val2014_000000000042.png")), qs.get(1));
        assertEquals(root.resolve("x/7.jpg"), qs.get(2).image());
    }

    @Test
    void blipListAndClearErrors() throws Exception {
        Path file = tmp.resolve("vqa_test.json");
        Files.writeString(file, "[{\"question_id\": 1, \"image\": \"val2014/a.jpg\", \"question\": \"is it?\"}]");
        assertEquals(List.of(new VqaQuestion(1, "is it?", tmp.resolve("val2014/a.jpg"))),
                VqaQuestionFile.read(file, tmp));
        Files.writeString(file, "[{\"question_id\": 1, \"image\": \"a.jpg\"}]");
        var e = assertThrows(IllegalArgumentException.class, () -> VqaQuestionFile.read(file, tmp));
        assertTrue(e.getMessage().contains("vqa_test.json [0]") && e.getMessage().contains("\"question\""),
                e.getMessage());
        Files.writeString(file, "{\"questions\": [{\"question_id\": 5, \"question\": \"q\", \"image_id\": 99}]}");
        e = assertThrows(IllegalArgumentException.class, () -> VqaQuestionFile.read(file, tmp));
        assertTrue(e.getMessage().contains("image_id 99 matches no image"), e.getMessage());
        Files.writeString(file, "{\"annotations\": []}");
        assertThrows(IllegalArgumentException.class, () -> VqaQuestionFile.read(file, tmp));
    }

    @Test
    void answerListsAsJsonOrLines() throws Exception {
        Path json = tmp.resolve("answer_list.json");
        Files.writeString(json, "[\"yes\", \"no\", \"a dog\"]");
        assertEquals(List.of("yes", "no", "a dog"), AnswerListFile.read(json));
        Path lines = tmp.resolve("answers.txt");
        Files.writeString(lines, "yes\r\nno\n\na dog\n");
        assertEquals(List.of("yes", "no", "a dog"), AnswerListFile.read(lines));
        Files.writeString(json, "[\"yes\", 2]");
        var e = assertThrows(IllegalArgumentException.class, () -> AnswerListFile.read(json));
        assertTrue(e.getMessage().contains("answer_list.json [1]"), e.getMessage());
    }

    @Test
    void predictionsAreWhatTheEvaluatorReads() throws Exception {
        Path out = tmp.resolve("sub/pred.json");
        VqaPredictionFile.write(out, List.of(new VqaPrediction(10, "yes"), new VqaPrediction(11, "a \"dog\"")));
        VqaPredictions read = VqaPredictions.read(out);
        assertEquals("yes", read.answers().get(10L));
        assertEquals("a \"dog\"", read.answers().get(11L));
        try (var s = Files.list(out.getParent())) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }
}
