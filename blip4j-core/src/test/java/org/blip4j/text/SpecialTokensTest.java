package org.blip4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * [DEC]/[ENC] resolution. The "hub-like" directory mimics the real checkpoints' files: a plain BERT vocabulary
 * without [DEC]/[ENC] (tiny-a's 329 WordPiece entries standing in for the 30522 of bert-base-uncased) and a
 * config whose bos_token_id is the first id after the vocabulary.
 */
class SpecialTokensTest {
    private static final String SPECIALS_MAP = """
            {"cls_token": "[CLS]", "mask_token": "[MASK]", "pad_token": "[PAD]", "sep_token": "[SEP]",
             "unk_token": "[UNK]"}""";

    @TempDir
    Path tmp;

    @Test
    void tinyAResolvesFromTokenizerAndConfig() throws IOException {
        SpecialTokens s = BlipTokenizer.load(Fixtures.tinyAModel()).specialTokens();
        assertEquals(new SpecialTokens(0, 1, 2, 3, 4, 329, 330, 331), s);
        assertEquals(3, s.eos());
        assertEquals(329, s.dec());
    }

    @Test
    void hubLikeTokenizerTakesDecAndEncFromConfig() throws IOException {
        Path dir = hubLikeDir("\"bos_token_id\": 329, \"sep_token_id\": 3, \"pad_token_id\": 0, "
                + "\"eos_token_id\": 2, \"vocab_size\": 331");
        BertTokenizer plain = TokenizerFiles.load(dir);
        assertFalse(plain.contains("[DEC]"));
        assertEquals(329, plain.vocabSize());

        BlipTokenizer blip = BlipTokenizer.load(dir);
        // eos_token_id 2 (the HF placeholder, here even a real token: [CLS]) is ignored: EOS is [SEP].
        assertEquals(new SpecialTokens(0, 1, 2, 3, 4, 329, 330, 331), blip.specialTokens());
        assertEquals(3, blip.specialTokens().eos());
        assertEquals(329, blip.tokenizer().tokenToId("[DEC]"));
        assertEquals(330, blip.tokenizer().tokenToId("[ENC]"));

        var tensors = Goldens.tensors(Fixtures.tinyA());
        long[][] captionIds = Goldens.rows(tensors.get("caption_input_ids"));
        List<String> captions = Goldens.texts(Goldens.json(Fixtures.tinyA()).get("captions"));
        assertArrayEquals(captionIds, blip.encode(captions, 20, Padding.LONGEST, true).ids());
        RawTensor gen = tensors.get("gen_output_ids");
        assertEquals(" park u being pizzaj boat / u pizza boat white bag dog 猫 up",
                CaptionPrompt.DEFAULT.strip(blip.decode(Goldens.rows(gen)[0])));
    }

    @Test
    void encTokenIdFieldWins() throws IOException {
        Path dir = hubLikeDir("\"bos_token_id\": 329, \"enc_token_id\": 331, \"vocab_size\": 332");
        SpecialTokens s = BlipTokenizer.load(dir).specialTokens();
        assertEquals(329, s.bos());
        assertEquals(331, s.enc());
        assertEquals(332, s.vocabSize());
    }

    @Test
    void topLevelTextConfigIsAccepted() throws IOException {
        Path dir = hubLikeDir("");
        Files.writeString(dir.resolve("config.json"), "{\"bos_token_id\": 329, \"vocab_size\": 331}");
        assertEquals(330, BlipTokenizer.load(dir).specialTokens().enc());
    }

    @Test
    void decDisagreeingWithTokenizerNamesBothFiles() throws IOException {
        Path dir = copyOfTinyA();
        writeConfig(dir, "\"bos_token_id\": 330, \"vocab_size\": 331");
        var e = assertThrows(TokenizerConfigException.class, () -> BlipTokenizer.load(dir));
        assertMentions(e, "[DEC]", "329", "text_config.bos_token_id", "330", "vocab.txt", "tokenizer_config.json",
                "config.json");
    }

    @Test
    void encDisagreeingWithTokenizer() throws IOException {
        Path dir = copyOfTinyA();
        writeConfig(dir, "\"bos_token_id\": 329, \"enc_token_id\": 331, \"vocab_size\": 332");
        var e = assertThrows(TokenizerConfigException.class, () -> BlipTokenizer.load(dir));
        assertMentions(e, "[ENC]", "text_config.enc_token_id");
    }

    @Test
    void sepOrPadDisagreeing() throws IOException {
        Path dir = hubLikeDir("\"bos_token_id\": 329, \"sep_token_id\": 102, \"vocab_size\": 331");
        assertMentions(assertThrows(TokenizerConfigException.class, () -> BlipTokenizer.load(dir)),
                "[SEP]", "sep_token_id", "102");
        writeConfig(dir, "\"bos_token_id\": 329, \"pad_token_id\": 1, \"vocab_size\": 331");
        assertMentions(assertThrows(TokenizerConfigException.class, () -> BlipTokenizer.load(dir)),
                "[PAD]", "pad_token_id");
    }

    @Test
    void idsMustFitTheVocabulary() throws IOException {
        Path dir = hubLikeDir("\"bos_token_id\": 329, \"vocab_size\": 330");
        assertMentions(assertThrows(TokenizerConfigException.class, () -> BlipTokenizer.load(dir)),
                "330", "vocab_size");
        writeConfig(dir, "\"bos_token_id\": 329, \"vocab_size\": 300");
        assertMentions(assertThrows(TokenizerConfigException.class, () -> BlipTokenizer.load(dir)),
                "vocab_size");
    }

    @Test
    void decMustNotReuseAnExistingToken() throws IOException {
        Path dir = hubLikeDir("\"bos_token_id\": 5, \"vocab_size\": 331");
        assertMentions(assertThrows(TokenizerConfigException.class, () -> BlipTokenizer.load(dir)),
                "[DEC]", "'!'");
        writeConfig(dir, "\"bos_token_id\": 328, \"vocab_size\": 331"); // [ENC] = 329: free, but [DEC] = 猫
        assertThrows(TokenizerConfigException.class, () -> BlipTokenizer.load(dir));
    }

    @Test
    void missingFieldsAreNamed() throws IOException {
        Path dir = hubLikeDir("\"vocab_size\": 331");
        assertMentions(assertThrows(TokenizerConfigException.class, () -> BlipTokenizer.load(dir)),
                "bos_token_id");
        writeConfig(dir, "\"bos_token_id\": 329");
        assertMentions(assertThrows(TokenizerConfigException.class, () -> BlipTokenizer.load(dir)),
                "text_config.vocab_size");
        writeConfig(dir, "\"bos_token_id\": \"x\", \"vocab_size\": 331");
        assertMentions(assertThrows(TokenizerConfigException.class, () -> BlipTokenizer.load(dir)),
                "text_config.bos_token_id", "integer");
    }

    @Test
    void inconsistentTokenizerFiles() throws IOException {
        Path dir = copyOfTinyA();
        Files.delete(dir.resolve("vocab.txt"));
        ObjectMapper json = new ObjectMapper();
        JsonNode root = json.readTree(dir.resolve("tokenizer.json").toFile());
        for (JsonNode t : root.get("added_tokens")) {
            if (t.get("content").asText().equals("[DEC]")) {
                ((ObjectNode) t).put("id", 5); // clashes with "!"
            }
        }
        json.writeValue(dir.resolve("tokenizer.json").toFile(), root);
        assertMentions(assertThrows(TokenizerConfigException.class, () -> TokenizerFiles.load(dir)),
                "tokenizer.json", "[DEC]", "'!'");
        Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\"}}");
        assertMentions(assertThrows(TokenizerConfigException.class, () -> TokenizerFiles.load(dir)),
                "tokenizer.json", "WordPiece");
        Files.writeString(dir.resolve("tokenizer.json"), "{not json");
        assertMentions(assertThrows(TokenizerConfigException.class, () -> TokenizerFiles.load(dir)),
                "tokenizer.json", "invalid JSON");
    }

    @Test
    void addedTokenClashingWithVocabLine() throws IOException {
        Path dir = hubLikeDir("\"bos_token_id\": 329, \"vocab_size\": 331");
        Files.writeString(dir.resolve("added_tokens.json"), "{\"[DEC]\": 7}");
        assertMentions(assertThrows(TokenizerConfigException.class, () -> TokenizerFiles.load(dir)),
                "[DEC]", "7");
        Files.writeString(dir.resolve("added_tokens.json"), "{\"[DEC]\": 329, \"[ENC]\": 330}");
        assertEquals(330, BlipTokenizer.load(dir).specialTokens().enc()); // the transformers-4.15 file format
    }

    /** tiny-a's vocab.txt and a special_tokens_map without [DEC]/[ENC]; no tokenizer_config.json. */
    private Path hubLikeDir(String textConfigFields) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("hub"));
        Files.copy(Fixtures.tinyAModel().resolve("vocab.txt"), dir.resolve("vocab.txt"));
        Files.writeString(dir.resolve("special_tokens_map.json"), SPECIALS_MAP);
        writeConfig(dir, textConfigFields);
        return dir;
    }

    private Path copyOfTinyA() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("tiny"));
        for (String f : new String[] {"vocab.txt", "tokenizer.json", "tokenizer_config.json",
                "special_tokens_map.json", "config.json"}) {
            Files.copy(Fixtures.tinyAModel().resolve(f), dir.resolve(f));
        }
        return dir;
    }

    private static void writeConfig(Path dir, String textConfigFields) throws IOException {
        Files.writeString(dir.resolve("config.json"),
                "{\"model_type\": \"blip\", \"text_config\": {" + textConfigFields + "}}");
    }

    private static void assertMentions(Exception e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' missing in: " + e.getMessage());
        }
    }
}
