package org.blip4j.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.eval.CaptionPredictions;
import org.blip4j.eval.CaptionScores;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caption evaluation glue on tiny-a: both annotation layouts, BLIP's result file, and scoring. */
class CaptionEvaluationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] IMAGES = TinyAApiParityTest.IMAGES;

    @TempDir
    Path tmp;

    Path coco() throws Exception {
        var root = JSON.createObjectNode();
        var images = root.putArray("images");
        var anns = root.putArray("annotations");
        for (int i = 0; i < IMAGES.length; i++) {
            images.addObject().put("id", 100 + i).put("file_name", IMAGES[i]);
            anns.addObject().put("image_id", 100 + i).put("caption", "a dog sitting on the grass");
            anns.addObject().put("image_id", 100 + i).put("caption", "a red car near an old building");
        }
        Path f = tmp.resolve("gt.json");
        JSON.writeValue(f.toFile(), root);
        return f;
    }

    @Test
    void cocoSplitIsCaptionedInOrderSavedAndScored() throws Exception {
        CaptionEvaluationSplit split = CaptionEvaluationSplit.read(coco(), Fixtures.tinyA().resolve("images"));
        assertEquals(List.of(100L, 101L, 102L, 103L), split.imageIds());
        assertEquals(2, split.references().captions().get(102L).size());
        try (Blip blip = Blip.load(Fixtures.tinyAModel().toString())) {
            CaptionOptions o = CaptionOptions.defaults().withGeneration(GenerationOptions.greedy(12, 3))
                    .withBatchSize(3);
            List<Integer> steps = new ArrayList<>();
            CaptionPredictions preds = new CaptionEvaluation(new Captioner(blip, o)).generate(split, steps::add);
            assertEquals(List.of(3, 1), steps);

            // the same captions as the Captioner gives image by image
            List<RgbImage> images = new ArrayList<>();
            for (String f : IMAGES) {
                images.add(ImageLoader.load(Fixtures.tinyA().resolve("images").resolve(f)));
            }
            List<List<Caption>> direct = new Captioner(blip, o).caption(images);
            for (int i = 0; i < IMAGES.length; i++) {
                assertEquals(direct.get(i).get(0).text(), preds.captions().get(100L + i));
            }

            Path out = tmp.resolve("results/pred.json");
            CaptionEvaluation.writePredictions(preds, out);
            JsonNode written = JSON.readTree(out.toFile());
            assertEquals(4, written.size());
            assertEquals(100, written.get(0).get("image_id").asInt());
            assertEquals(preds.captions().get(100L), written.get(0).get("caption").asText());
            CaptionPredictions reread = CaptionPredictions.read(out);
            assertEquals(preds.captions(), reread.captions());

            CaptionScores scores = CaptionEvaluation.score(split.references(), reread);
            assertEquals(List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr"),
                    List.copyOf(scores.corpus().keySet()));
            assertEquals(4, scores.imageIds().size());
        }
    }

    @Test
    void karpathyListIdsComeFromFileNames() throws Exception {
        Path f = tmp.resolve("karpathy.json");
        Files.writeString(f, "[{\"image\": \"val2014/COCO_val2014_000000391895.jpg\", \"caption\": [\"a man\"]},"
                + " {\"image\": \"b.jpg\", \"caption\": \"a dog\"}]");
        CaptionEvaluationSplit split = CaptionEvaluationSplit.read(f, tmp);
        assertEquals(List.of(391895L, 1L), split.imageIds(), "no trailing number: the entry's index, as readKarpathy");
        assertEquals(split.imageIds(), List.copyOf(split.references().captions().keySet()));
        assertTrue(split.images().get(0).name().endsWith("val2014/COCO_val2014_000000391895.jpg"));
    }

    @Test
    void badAnnotationsAreNamed() throws Exception {
        Path noName = tmp.resolve("coco.json");
        Files.writeString(noName, "{\"images\": [{\"id\": 7}], \"annotations\": []}");
        var e = assertThrows(IllegalArgumentException.class, () -> CaptionEvaluationSplit.read(noName, tmp));
        assertTrue(e.getMessage().contains("coco.json images[0]") && e.getMessage().contains("file_name"),
                e.getMessage());
        Path scalar = tmp.resolve("scalar.json");
        Files.writeString(scalar, "  42");
        e = assertThrows(IllegalArgumentException.class, () -> CaptionEvaluationSplit.readReferences(scalar));
        assertTrue(e.getMessage().startsWith(scalar.toString()), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CaptionEvaluationSplit.readReferences(tmp.resolve("absent.json")));
        assertTrue(e.getMessage().contains("absent.json"), e.getMessage());
    }
}
