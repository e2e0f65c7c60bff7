package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.blip4j.data.AnnotationFormatException;
import org.blip4j.data.ImageSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BLIP's VQA training files: one sample per question, VQA v2 answer shares, Visual Genome's 0.2, clear errors. */
class VqaTrainingFileTest {
    @TempDir
    Path tmp;

    @Test
    void weightsFollowTheOriginalDataset() throws Exception {
        Path f = tmp.resolve("vqa_train.json");
        Files.writeString(f, """
                [{"question_id": 1, "image": "a.png", "question": "Is it red?", "answer": ["yes", "no", "yes", "yes"],
                  "dataset": "vqa"},
                 {"question_id": 2, "image": "b.png", "question": "what colour", "answer": "blue", "dataset": "vg"},
                 {"question_id": 3, "image": "c.png", "question": "how many", "answer": ["2"]}]""");
        TrainingSet set = VqaTrainingFile.read(List.of(f), tmp.resolve("img"));
        assertEquals(3, set.samples().size());
        assertEquals(List.of("Is it red?"), set.samples().get(0).captions());
        assertEquals(new ImageSource.File(tmp.resolve("img/a.png")), set.samples().get(0).image());
        WeightedAnswers first = set.answersOf(set.samples().get(0).key());
        assertEquals(List.of("yes", "no"), first.answers());
        assertArrayEquals(new float[] {0.75f, 0.25f}, first.weights());
        assertArrayEquals(new float[] {0.2f}, set.answersOf(set.samples().get(1).key()).weights());
        assertArrayEquals(new float[] {1f}, set.answersOf(set.samples().get(2).key()).weights());

        VqaObjective.AnswerGroups g = VqaObjective.AnswerGroups.of(set.samples().stream()
                .map(s -> set.answersOf(s.key())).toList());
        assertEquals(List.of("yes", "no", "blue", "2"), g.answers());
        assertArrayEquals(new int[] {2, 1, 1}, g.counts());
        assertArrayEquals(new float[] {0.75f, 0.25f, 0.2f, 1f}, g.weights());
    }

    @Test
    void badRecordsNameFileAndRecord() throws Exception {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, "[{\"image\": \"a.png\", \"question\": \"q\", \"answer\": []}]");
        AnnotationFormatException e = assertThrows(AnnotationFormatException.class,
                () -> VqaTrainingFile.read(List.of(f), tmp));
        assertTrue(e.getMessage().contains("bad.json") && e.getMessage().contains("answer"), e.getMessage());
        Files.writeString(f, "[{\"image\": \"a.png\", \"question\": \"q\", \"answer\": \"x\", \"dataset\": \"gqa\"}]");
        assertThrows(AnnotationFormatException.class, () -> VqaTrainingFile.read(List.of(f), tmp));
    }
}
