package org.blip4j.checkpoint;

import static org.blip4j.checkpoint.TensorAsserts.assertClose;
import static org.blip4j.checkpoint.TensorAsserts.assertSameTensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlipCheckpointConverterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MODEL = Fixtures.tinyAModel();

    private static BlipCheckpointConverter.Options options(Path out, Path tokenizerDir, Integer imageSize) {
        return new BlipCheckpointConverter.Options(MODEL.resolve("original.pth"), out, MODEL.resolve("med_config.json"),
                4, null, tokenizerDir, imageSize);
    }

    @Test
    void tinyAOriginalBecomesTinyAHfDirectory(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("converted");
        BlipCheckpointConverter.Result r = BlipCheckpointConverter.convert(options(out, MODEL, null));

        assertSameTensors(Safetensors.read(MODEL.resolve("model.safetensors")), Safetensors.read(out.resolve("model.safetensors")));
        assertEquals(156, r.tensors());
        assertEquals(4, r.dropped().get(OriginalCheckpointRenamer.KeyKind.QUEUE));

        JsonNode expected = JSON.readTree(MODEL.resolve("config.json").toFile());
        JsonNode actual = JSON.readTree(out.resolve("config.json").toFile());
        for (String f : List.of("architectures", "image_text_hidden_size", "projection_dim", "model_type",
                "logit_scale_init_value", "torch_dtype", "initializer_range")) {
            assertEquals(expected.get(f), actual.get(f), f);
        }
        for (String f : List.of("hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads",
                "layer_norm_eps", "image_size", "patch_size", "num_channels", "hidden_act", "model_type")) {
            assertEquals(expected.path("vision_config").get(f), actual.path("vision_config").get(f), "vision " + f);
        }
        for (String f : List.of("vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
                "num_attention_heads", "max_position_embeddings", "encoder_hidden_size", "layer_norm_eps",
                "bos_token_id", "eos_token_id", "sep_token_id", "pad_token_id", "hidden_act", "is_decoder",
                "label_smoothing", "tie_word_embeddings", "model_type")) {
            assertEquals(expected.path("text_config").get(f), actual.path("text_config").get(f), "text " + f);
        }
        // dropouts follow med_config (training values), not the inference-only 0.0 of tiny-a's config.json
        assertEquals(0.1, actual.path("text_config").get("hidden_dropout_prob").asDouble());

        for (String f : List.of("tokenizer.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json",
                "preprocessor_config.json")) {
            assertArrayEquals(Files.readAllBytes(MODEL.resolve(f)), Files.readAllBytes(out.resolve(f)), f);
        }
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(out), s.toList(), "no temporary directory left behind");
        }
        HfModelDirectory.open(out); // loadable as a model directory
    }

    @Test
    void withoutTokenizerUsesBertIdsAndWritesAPreprocessorConfig(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("converted");
        BlipCheckpointConverter.convert(options(out, null, null));
        JsonNode text = JSON.readTree(out.resolve("config.json").toFile()).path("text_config");
        assertEquals(102, text.get("sep_token_id").asInt());
        assertEquals(102, text.get("eos_token_id").asInt());
        assertEquals(0, text.get("pad_token_id").asInt());
        assertEquals(JSON.readTree(MODEL.resolve("preprocessor_config.json").toFile()),
                JSON.readTree(out.resolve("preprocessor_config.json").toFile()));
        assertFalse(Files.exists(out.resolve("vocab.txt")));
    }

    @Test
    void imageSizeResizesPositionEmbeddings(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("converted");
        BlipCheckpointConverter.convert(options(out, null, 32));
        RawTensor pos = Safetensors.read(out.resolve("model.safetensors")).get("vision_model.embeddings.position_embedding");
        assertArrayEquals(new long[] {1, 5, 48}, pos.shape());
        RawTensor original = Safetensors.read(MODEL.resolve("model.safetensors")).get("vision_model.embeddings.position_embedding");
        assertClose(PositionEmbeddingInterpolator.interpolate(original, 2), pos, 0, "pos");
        assertEquals(32, JSON.readTree(out.resolve("config.json").toFile()).path("vision_config").get("image_size").asInt());
    }

    @Test
    void errorsNameWhatIsWrong(@TempDir Path tmp) throws IOException {
        // tiny widths (48) are no multiple of 64: the vision head count must be given
        Path out = tmp.resolve("a");
        IOException e = assertThrows(IOException.class, () -> BlipCheckpointConverter.convert(
                new BlipCheckpointConverter.Options(MODEL.resolve("original.pth"), out, null, null, null, null, null)));
        assertTrue(e.getMessage().contains("original.pth") && e.getMessage().contains("--text-heads"), e.getMessage());
        assertFalse(Files.exists(out));
        e = assertThrows(IOException.class, () -> BlipCheckpointConverter.convert(new BlipCheckpointConverter.Options(
                MODEL.resolve("original.pth"), out, MODEL.resolve("med_config.json"), null, null, null, null)));
        assertTrue(e.getMessage().contains("--vision-heads"), e.getMessage());

        Path busy = tmp.resolve("busy");
        Files.createDirectories(busy);
        Files.writeString(busy.resolve("x"), "x");
        e = assertThrows(IOException.class, () -> BlipCheckpointConverter.convert(options(busy, null, null)));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    }

    @Test
    void architecturesFollowThePartsPresent() {
        RawTensor t = RawTensor.ofFloats(new float[] {0}, 1);
        java.util.Map<String, RawTensor> w = new java.util.HashMap<>();
        w.put("text_decoder.bert.embeddings.word_embeddings.weight", t);
        assertEquals(List.of("BlipForConditionalGeneration"), BlipConfigInference.architectures(w));
        w.put("text_encoder.embeddings.word_embeddings.weight", t);
        assertEquals(List.of("BlipForQuestionAnswering"), BlipConfigInference.architectures(w));
        w.remove("text_decoder.bert.embeddings.word_embeddings.weight");
        w.put("vision_proj.weight", t);
        w.put("text_proj.weight", t);
        w.put("itm_head.weight", t);
        assertEquals(List.of("BlipForImageTextRetrieval"), BlipConfigInference.architectures(w));
    }
}
