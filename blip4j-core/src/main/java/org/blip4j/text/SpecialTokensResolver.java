package org.blip4j.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;

/** The consistency rules behind {@link SpecialTokens#resolve}; one instance per resolution. */
final class SpecialTokensResolver {
    static final String DEC = "[DEC]";
    static final String ENC = "[ENC]";

    private final BertTokenizer tokenizer;
    private final Path configFile;
    private final JsonNode text;
    private final String prefix;

    SpecialTokensResolver(BertTokenizer tokenizer, Path configFile) throws IOException {
        this.tokenizer = tokenizer;
        this.configFile = configFile;
        JsonNode root = JsonFiles.read(configFile);
        // A BlipConfig nests the text settings; a bare text/MED config has them at the top level.
        JsonNode nested = root.get("text_config");
        this.text = nested != null && nested.isObject() ? nested : root;
        this.prefix = nested != null && nested.isObject() ? "text_config." : "";
    }

    SpecialTokens resolve() {
        Integer vocabSize = configInt("vocab_size");
        if (vocabSize == null) {
            throw new TokenizerConfigException(configFile, "missing " + prefix + "vocab_size");
        }
        int pad = agree("pad_token_id", tokenizer.padId(), "[PAD]");
        int sep = agree("sep_token_id", tokenizer.sepId(), "[SEP]");
        int bos = resolveDec();
        int enc = resolveEnc(bos);
        if (bos == enc) {
            throw mismatch("[DEC] and [ENC] both have id " + bos);
        }
        if (tokenizer.maxId() >= vocabSize) {
            throw mismatch("tokenizer has ids up to " + tokenizer.maxId() + " but " + prefix + "vocab_size is "
                    + vocabSize);
        }
        for (int id : new int[] {bos, enc}) {
            if (id >= vocabSize) {
                throw mismatch("[DEC]/[ENC] id " + id + " is not below " + prefix + "vocab_size " + vocabSize);
            }
        }
        try {
            return new SpecialTokens(pad, tokenizer.unkId(), tokenizer.clsId(), sep, tokenizer.maskId(), bos, enc,
                    vocabSize);
        } catch (IllegalArgumentException e) {
            throw mismatch(e.getMessage());
        }
    }

    /** [DEC]: the config's bos_token_id, checked against a tokenizer that knows [DEC]. */
    private int resolveDec() {
        Integer fromConfig = configInt("bos_token_id");
        Integer fromTokenizer = tokenizer.contains(DEC) ? tokenizer.tokenToId(DEC) : null;
        if (fromConfig != null && fromTokenizer != null && !fromConfig.equals(fromTokenizer)) {
            throw mismatch(DEC + " is id " + fromTokenizer + " in the tokenizer but " + prefix + "bos_token_id is "
                    + fromConfig);
        }
        Integer id = fromConfig != null ? fromConfig : fromTokenizer;
        if (id == null) {
            throw mismatch("no [DEC] id: the tokenizer has no " + DEC + " token and " + prefix
                    + "bos_token_id is missing");
        }
        requireFree(id, DEC, prefix + "bos_token_id");
        return id;
    }

    /** [ENC]: tokenizer, else config enc_token_id, else [DEC] + 1 (init_tokenizer adds [ENC] right after [DEC]). */
    private int resolveEnc(int dec) {
        Integer fromConfig = configInt("enc_token_id");
        Integer fromTokenizer = tokenizer.contains(ENC) ? tokenizer.tokenToId(ENC) : null;
        if (fromConfig != null && fromTokenizer != null && !fromConfig.equals(fromTokenizer)) {
            throw mismatch(ENC + " is id " + fromTokenizer + " in the tokenizer but " + prefix + "enc_token_id is "
                    + fromConfig);
        }
        int id = fromTokenizer != null ? fromTokenizer : fromConfig != null ? fromConfig : dec + 1;
        requireFree(id, ENC, fromConfig != null ? prefix + "enc_token_id" : "[DEC] + 1");
        return id;
    }

    /** The id must be unused in the tokenizer or already be that very token. */
    private void requireFree(int id, String token, String origin) {
        String existing = tokenizer.findToken(id);
        if (existing != null && !existing.equals(token)) {
            throw mismatch(token + " would get id " + id + " (" + origin + "), but the tokenizer already uses it for '"
                    + existing + "'");
        }
    }

    /** Tokenizer's id for a role; the config's field, if present, must be the same. */
    private int agree(String field, int tokenizerId, String token) {
        Integer fromConfig = configInt(field);
        if (fromConfig != null && fromConfig != tokenizerId) {
            throw mismatch(token + " is id " + tokenizerId + " in the tokenizer but " + prefix + field + " is "
                    + fromConfig);
        }
        return tokenizerId;
    }

    private Integer configInt(String field) {
        return JsonFiles.optionalInt(text, field, configFile, prefix + field);
    }

    private TokenizerConfigException mismatch(String what) {
        return new TokenizerConfigException("inconsistent special tokens between tokenizer " + tokenizer.source()
                + " and model config " + configFile + ": " + what);
    }
}
