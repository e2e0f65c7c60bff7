package org.blip4j.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * BLIP's tokenizer: bert-base-uncased plus [DEC]/[ENC] (orig {@code init_tokenizer}), with the ids agreed with
 * the model config. The wrapped {@link #tokenizer()} knows [DEC]/[ENC] as special tokens even when the hub files
 * do not, so {@code decode(…, skipSpecialTokens=true)} drops them.
 */
public record BlipTokenizer(BertTokenizer tokenizer, SpecialTokens specialTokens) {
    public static final String CONFIG_JSON = "config.json";

    /** Tokenizer files and {@code config.json} from one HF model directory. */
    public static BlipTokenizer load(Path modelDir) throws IOException {
        return of(TokenizerFiles.load(modelDir), modelDir.resolve(CONFIG_JSON));
    }

    /** A tokenizer read elsewhere, checked against the model's {@code config.json}. */
    public static BlipTokenizer of(BertTokenizer tokenizer, Path configJson) throws IOException {
        SpecialTokens ids = SpecialTokens.resolve(tokenizer, configJson);
        BertTokenizer withBlipTokens = tokenizer.withAddedSpecialTokens(
                Map.of(SpecialTokensResolver.DEC, ids.bos(), SpecialTokensResolver.ENC, ids.enc()));
        return new BlipTokenizer(withBlipTokens, ids);
    }

    /** {@code [CLS] … [SEP]} rows (unimodal text encoder / ITC input). */
    public TokenBatch encode(List<String> texts, int maxLength, Padding padding, boolean truncation) {
        return tokenizer.encode(texts, maxLength, padding, truncation);
    }

    /** Rows starting with [ENC] instead of [CLS] (image-grounded encoder: ITM, VQA questions). */
    public TokenBatch encodeForEncoder(List<String> texts, int maxLength, Padding padding, boolean truncation) {
        return encode(texts, maxLength, padding, truncation).withFirstToken(specialTokens.enc());
    }

    /** Rows starting with [DEC] instead of [CLS] (decoder training: captions, VQA answers). */
    public TokenBatch encodeForDecoder(List<String> texts, int maxLength, Padding padding, boolean truncation) {
        return encode(texts, maxLength, padding, truncation).withFirstToken(specialTokens.bos());
    }

    /**
     * The generation prompt of orig {@code BLIP_Decoder.generate}: {@code tokenizer(prompt).input_ids} with
     * [CLS] replaced by [DEC] and the trailing [SEP] dropped, e.g. {@code [DEC] a picture of}.
     */
    public long[] decoderPrompt(String prompt) {
        long[] ids = tokenizer.encode(prompt);
        ids[0] = specialTokens.bos();
        return Arrays.copyOf(ids, ids.length - 1);
    }

    /** Decodes without special tokens ([DEC], [SEP], [PAD] …), cleaning up tokenization spaces. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }
}
