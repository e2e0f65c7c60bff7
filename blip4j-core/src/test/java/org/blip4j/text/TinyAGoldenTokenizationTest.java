package org.blip4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Token ids and decoded texts of the tiny-a set (official BLIP + transformers-4.15 BertTokenizer) reproduced exactly. */
class TinyAGoldenTokenizationTest {
    private static JsonNode golden;
    private static Map<String, RawTensor> tensors;
    private static List<String> captions;

    @BeforeAll
    static void readGoldens() throws IOException {
        golden = Goldens.json(Fixtures.tinyA());
        tensors = Goldens.tensors(Fixtures.tinyA());
        captions = new ArrayList<>();
        golden.get("captions").forEach(c -> captions.add(c.get("text").asText()));
    }

    static Stream<Arguments> loaders() throws IOException {
        Path dir = Fixtures.tinyAModel();
        return Stream.of(
                Arguments.of("vocab.txt", TokenizerFiles.fromVocabTxt(dir)),
                Arguments.of("tokenizer.json", TokenizerFiles.fromTokenizerJson(dir)),
                Arguments.of("load()", TokenizerFiles.load(dir)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loaders")
    void captionIdsAndMaskMatchGolden(String from, BertTokenizer tok) {
        TokenBatch batch = tok.encode(captions, 20, Padding.LONGEST, true);
        assertArrayEquals(Goldens.rows(tensors.get("caption_input_ids")), batch.ids(), from);
        assertArrayEquals(Goldens.rows(tensors.get("caption_attention_mask")), batch.attentionMask(), from);
        assertArrayEquals(tensors.get("caption_input_ids").toLongs(), batch.flatIds());
        assertArrayEquals(new long[] {5, 20}, batch.shape());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loaders")
    void wordPiecesMatchGolden(String from, BertTokenizer tok) {
        for (JsonNode c : golden.get("captions")) {
            assertEquals(Goldens.strings(c.get("tokens")), tok.tokenize(c.get("text").asText()), from);
        }
        assertEquals(Goldens.strings(golden.get("prompt_tokens")), tok.tokenize("a picture of "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loaders")
    void bothLoadersAgreeOnVocabulary(String from, BertTokenizer tok) {
        assertEquals(331, tok.vocabSize());
        assertEquals(329, tok.baseVocabSize());
        assertEquals(330, tok.maxId());
        assertEquals(Map.of("[DEC]", 329, "[ENC]", 330), tok.addedTokens());
        assertEquals(328, tok.tokenToId("猫"));
        assertEquals("##ten", tok.idToToken(107));
        assertEquals(1, tok.tokenToId("no-such-token"));
        assertEquals("[UNK]", tok.idToToken(10_000));
    }

    @Test
    void itmIdsSwapClsForEnc() throws IOException {
        BlipTokenizer blip = BlipTokenizer.load(Fixtures.tinyAModel());
        TokenBatch batch = blip.encodeForEncoder(captions, 20, Padding.LONGEST, true);
        assertArrayEquals(Goldens.rows(tensors.get("itm_input_ids")), batch.ids());
    }

    @Test
    void lmIdsUsePromptAndDec() throws IOException {
        BlipTokenizer blip = BlipTokenizer.load(Fixtures.tinyAModel());
        List<String> texts = new ArrayList<>();
        for (JsonNode pair : golden.get("lm_pairs")) {
            texts.add(CaptionPrompt.DEFAULT.text() + captions.get(pair.get("caption_index").asInt()));
            assertEquals(pair.get("text").asText(), texts.get(texts.size() - 1));
        }
        TokenBatch batch = blip.encodeForDecoder(texts, 40, Padding.LONGEST, true);
        assertArrayEquals(Goldens.rows(tensors.get("lm_input_ids")), batch.ids());
        assertArrayEquals(Goldens.rows(tensors.get("lm_attention_mask")), batch.attentionMask());
    }

    @Test
    void trainingIdsPadToMaxLength() throws IOException {
        BertTokenizer tok = TokenizerFiles.load(Fixtures.tinyAModel());
        TokenBatch batch = tok.encode(captions.subList(0, 4), 35, Padding.MAX_LENGTH, true);
        assertArrayEquals(Goldens.rows(tensors.get("train_input_ids")), batch.ids());
        assertArrayEquals(Goldens.rows(tensors.get("train_attention_mask")), batch.attentionMask());
    }

    @Test
    void generationPromptIsDecAPictureOf() throws IOException {
        BlipTokenizer blip = BlipTokenizer.load(Fixtures.tinyAModel());
        long[] prompt = blip.decoderPrompt(CaptionPrompt.DEFAULT.text());
        assertArrayEquals(tensors.get("gen_prompt_ids").toLongs(), prompt);
        assertArrayEquals(Goldens.longs(golden.at("/generation/prompt_ids")), prompt);
    }

    @Test
    void generatedIdsDecodeToGoldenCaptions() throws IOException {
        BlipTokenizer blip = BlipTokenizer.load(Fixtures.tinyAModel());
        for (String key : new String[] {"gen", "gen_min10"}) {
            long[][] out = Goldens.rows(tensors.get(key + "_output_ids"));
            JsonNode perImage = golden.at("/generation/" + key + "/per_image");
            for (int i = 0; i < out.length; i++) {
                String full = blip.decode(out[i]);
                assertEquals(perImage.get(i).get("decoded_full").asText(), full, key + " row " + i);
                assertEquals(perImage.get(i).get("caption").asText(), CaptionPrompt.DEFAULT.strip(full),
                        key + " row " + i);
            }
        }
        // Row 0 starts with "##j": it glues onto "of", so the stripped caption starts with a space.
        assertEquals(" park", CaptionPrompt.DEFAULT.strip(blip.decode(Goldens.rows(
                tensors.get("gen_output_ids"))[0])).substring(0, 5));
    }

    @Test
    void decodeWithoutSkippingKeepsAddedTokensSeparate() throws IOException {
        BlipTokenizer blip = BlipTokenizer.load(Fixtures.tinyAModel());
        long[] row = Goldens.rows(tensors.get("gen_output_ids"))[0];
        String text = blip.tokenizer().decode(row, false);
        // [DEC] is an added token, so it is its own word and "##j" still glues to "of".
        assertEquals("[DEC] a picture ofj park", text.substring(0, 24));
    }
}
