package org.blip4j.vqa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.checkpoint.Safetensors;
import org.blip4j.engine.Engines;
import org.blip4j.image.RgbImage;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipModel;
import org.blip4j.model.BlipModelSaver;
import org.blip4j.model.ModelInitializer;
import org.blip4j.model.Part;
import org.blip4j.task.Blip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full-size random model with the keys and shapes of Salesforce/blip-vqa-base (ViT-B/16 at 384, BERT-base
 * question encoder with 768-wide cross-attention, answer decoder attending to 768-wide question states) saves,
 * loads and answers in both modes.
 */
class BaseSizeVqaCheckpointTest {
    @TempDir
    Path tmp;

    /** bert-base-uncased's special-token layout with filler words: ids < 30522, [DEC]/[ENC] come from the config. */
    static void writeVocab(Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("[PAD]");
        for (int i = 0; i < 99; i++) {
            lines.add("[unused" + i + "]");
        }
        lines.addAll(List.of("[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        lines.addAll(List.of("what", "is", "the", "color", "?", "yes", "no", "red", "two", "a", "dog"));
        for (int i = lines.size(); i < 30522; i++) {
            lines.add("w" + i);
        }
        Files.write(dir.resolve("vocab.txt"), lines, StandardCharsets.UTF_8);
    }

    @Test
    void vqaBaseLayoutSavesLoadsAndAnswers() throws Exception {
        BlipConfig cfg = BlipConfig.base().withArchitectures(List.of("BlipForQuestionAnswering"));
        Path dir = tmp.resolve("blip-vqa-base");
        try (NDManager m = Engines.newManager(Engines.device("cpu"));
             BlipModel model = ModelInitializer.create(cfg,
                     EnumSet.of(Part.VISION, Part.TEXT_ENCODER, Part.TEXT_DECODER), 768, m, 11)) {
            BlipModelSaver.save(model, dir);
        }
        writeVocab(dir);
        Map<String, RawTensor> saved = Safetensors.read(dir.resolve("model.safetensors"));
        // vision 4 + 12·12 + 2, encoder 4 + 12·26 (no pooler), decoder the same + 7 LM-head names
        assertEquals(789, saved.size());
        assertArrayEquals(new long[] {768, 768},
                saved.get("text_encoder.encoder.layer.11.crossattention.self.key.weight").shape());
        assertArrayEquals(new long[] {768, 768},
                saved.get("text_decoder.bert.encoder.layer.0.crossattention.self.value.weight").shape());
        assertArrayEquals(new long[] {1, 577, 768}, saved.get("vision_model.embeddings.position_embedding").shape());
        assertArrayEquals(new long[] {30524, 768}, saved.get("text_decoder.cls.predictions.decoder.weight").shape());
        assertFalse(saved.keySet().stream().anyMatch(k -> k.startsWith("itm_head") || k.contains("pooler")));
        saved = null;

        try (Blip blip = Blip.load(dir.toString())) {
            assertEquals(EnumSet.of(Part.VISION, Part.TEXT_ENCODER, Part.TEXT_DECODER), blip.model().parts());
            assertEquals(768, blip.model().decoderCrossWidth());
            assertEquals(30522, blip.tokenizer().specialTokens().dec());
            assertEquals(30523, blip.tokenizer().specialTokens().enc());
            RgbImage image = RgbImage.filled(40, 30, 200, 30, 30);
            VqaAnswer generated = new VisualQuestionAnswerer(blip, VqaOptions.defaults(), null)
                    .answer(image, "What is the color?");
            assertEquals(30522, generated.tokens()[0]);
            assertTrue(generated.tokens().length >= 2 && generated.tokens().length <= 10, generated.toString());
            List<String> list = List.of("yes", "no", "red", "two", "a dog");
            VqaAnswer ranked = new VisualQuestionAnswerer(blip,
                    VqaOptions.defaults().withMode(VqaMode.RANK).withKTest(3), list).answer(image, "what color?");
            assertEquals(3, ranked.candidates().size());
            assertTrue(list.contains(ranked.answer()));
            assertTrue(ranked.score() < 0 && Double.isFinite(ranked.score()));
        }
    }
}
