package org.blip4j.text;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The token ids BLIP's text transformer needs, agreed between the tokenizer files and the model's
 * {@code config.json} ({@code text_config}); see {@link #resolve}.
 *
 * <p>{@code sep} ([SEP]) is also the end-of-sequence token: generation stops on {@link #eos()} = {@code sep}.
 * HF configs carry {@code text_config.eos_token_id = 2} only as a placeholder (2 is "[unused1]" in
 * bert-base-uncased); it is deliberately not read.
 *
 * @param pad       [PAD], fills padded positions (attention mask 0)
 * @param unk       [UNK]
 * @param cls       [CLS], first token for unimodal text encoding (ITC)
 * @param sep       [SEP], last token of every text and the generation EOS
 * @param mask      [MASK]
 * @param bos       [DEC], replaces [CLS] at column 0 for the decoder (captioning, VQA answers)
 * @param enc       [ENC], replaces [CLS] at column 0 for the image-grounded encoder (ITM, VQA questions)
 * @param vocabSize rows of the model's word-embedding matrix ({@code text_config.vocab_size})
 */
public record SpecialTokens(int pad, int unk, int cls, int sep, int mask, int bos, int enc, int vocabSize) {
    public SpecialTokens {
        int[] ids = {pad, unk, cls, sep, mask, bos, enc};
        String[] names = {"pad", "unk", "cls", "sep", "mask", "bos", "enc"};
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize) {
                throw new IllegalArgumentException(names[i] + " id " + ids[i] + " is outside the vocabulary [0, "
                        + vocabSize + ")");
            }
        }
    }

    /** [DEC], the decoder's start token (same as {@link #bos()}). */
    public int dec() {
        return bos;
    }

    /** The id generation stops on: [SEP] (never {@code text_config.eos_token_id}, see the class comment). */
    public int eos() {
        return sep;
    }

    /**
     * Resolves the ids from a tokenizer and the model's {@code config.json}.
     *
     * <ul>
     *   <li>pad/unk/cls/sep/mask come from the tokenizer; {@code text_config.pad_token_id}/{@code sep_token_id}
     *       must agree when present.</li>
     *   <li>[DEC] = {@code text_config.bos_token_id}. Hub tokenizers of real checkpoints are plain
     *       bert-base-uncased without [DEC]/[ENC], so the config is the source there (30522 on those
     *       checkpoints). A tokenizer that has [DEC] (like the official {@code init_tokenizer}) must agree.</li>
     *   <li>[ENC] = the tokenizer's [ENC], else {@code text_config.enc_token_id}, else [DEC] + 1 (the order
     *       {@code init_tokenizer} adds them in: 30523 on real checkpoints); the two sources must agree.</li>
     * </ul>
     *
     * @throws TokenizerConfigException naming both files when they disagree or an id does not fit the vocabulary
     */
    public static SpecialTokens resolve(BertTokenizer tokenizer, Path configJson) throws IOException {
        return new SpecialTokensResolver(tokenizer, configJson).resolve();
    }
}
