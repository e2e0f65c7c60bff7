package org.blip4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Question / answer ids and decoded answers of the tiny-a-vqa set. */
class TinyAVqaGoldenTokenizationTest {
    private static JsonNode golden;
    private static Map<String, RawTensor> tensors;
    private static BlipTokenizer blip;

    @BeforeAll
    static void read() throws IOException {
        golden = Goldens.json(Fixtures.tinyAVqa());
        tensors = Goldens.tensors(Fixtures.tinyAVqa());
        blip = BlipTokenizer.load(Fixtures.tinyAVqa().resolve("model"));
    }

    @Test
    void specialIdsMatchGolden() {
        JsonNode ids = golden.get("special_token_ids");
        SpecialTokens s = blip.specialTokens();
        assertEquals(ids.get("[PAD]").asInt(), s.pad());
        assertEquals(ids.get("[SEP]").asInt(), s.sep());
        assertEquals(ids.get("[DEC]").asInt(), s.bos());
        assertEquals(ids.get("[ENC]").asInt(), s.enc());
    }

    @Test
    void questionsTruncateAt35AndStartWithEnc() {
        List<String> questions = Goldens.texts(golden.get("questions"));
        TokenBatch plain = blip.encode(questions, 35, Padding.LONGEST, true);
        TokenBatch enc = blip.encodeForEncoder(questions, 35, Padding.LONGEST, true);
        for (int i = 0; i < questions.size(); i++) {
            JsonNode q = golden.get("questions").get(i);
            assertArrayEquals(Goldens.longs(q.get("tokenizer_input_ids")), plain.ids()[i], "question " + i);
            assertArrayEquals(Goldens.longs(q.get("input_ids")), enc.ids()[i], "question " + i);
            assertArrayEquals(Goldens.longs(q.get("attention_mask")), enc.attentionMask()[i], "question " + i);
            assertEquals(Goldens.strings(q.get("tokens")), blip.tokenizer().tokenize(q.get("text").asText()));
        }
        assertArrayEquals(Goldens.rows(tensors.get("question_input_ids")), enc.ids());
        assertArrayEquals(Goldens.rows(tensors.get("question_attention_mask")), enc.attentionMask());
    }

    @Test
    void answerCandidatesPadLongestWithoutTruncation() {
        List<String> answers = Goldens.texts(golden.at("/rank/answer_list"));
        TokenBatch batch = blip.encodeForDecoder(answers, 0, Padding.LONGEST, false);
        assertArrayEquals(Goldens.rows(tensors.get("rank_answer_input_ids")), batch.ids());
        assertArrayEquals(Goldens.rows(tensors.get("rank_answer_attention_mask")), batch.attentionMask());
    }

    @Test
    void trainingAnswers() {
        List<String> answers = Goldens.strings(golden.at("/train/answer_arg"));
        TokenBatch batch = blip.encodeForDecoder(answers, 0, Padding.LONGEST, false);
        assertArrayEquals(Goldens.rows(tensors.get("train_answer_input_ids")), batch.ids());
        assertArrayEquals(Goldens.rows(tensors.get("train_answer_attention_mask")), batch.attentionMask());
    }

    @Test
    void generatedAnswersDecode() {
        long[][] out = Goldens.rows(tensors.get("gen_output_ids"));
        List<String> expected = Goldens.strings(golden.at("/generate/answers"));
        for (int i = 0; i < out.length; i++) {
            assertEquals(expected.get(i), blip.decode(out[i]), "answer " + i);
        }
        assertArrayEquals(tensors.get("gen_bos_ids").toLongs(), new long[] {329, 329, 329, 329});
    }
}
