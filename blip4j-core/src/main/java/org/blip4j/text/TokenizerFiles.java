package org.blip4j.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link BertTokenizer} from a HF model directory, either from {@code vocab.txt} (+ optional
 * {@code tokenizer_config.json}, {@code special_tokens_map.json}, {@code added_tokens.json}) — the files the
 * slow tokenizer reads — or from {@code tokenizer.json} (HF {@code tokenizers} format: WordPiece model and
 * BertNormalizer). Both give the same slow-tokenizer behaviour.
 */
public final class TokenizerFiles {
    public static final String VOCAB_TXT = "vocab.txt";
    public static final String TOKENIZER_JSON = "tokenizer.json";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
    public static final String SPECIAL_TOKENS_MAP = "special_tokens_map.json";
    public static final String ADDED_TOKENS = "added_tokens.json";

    private TokenizerFiles() {
    }

    /** From {@code vocab.txt} if present (what the slow BertTokenizer reads), else from {@code tokenizer.json}. */
    public static BertTokenizer load(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(VOCAB_TXT))) {
            return fromVocabTxt(dir);
        }
        if (Files.isRegularFile(dir.resolve(TOKENIZER_JSON))) {
            return fromTokenizerJson(dir);
        }
        throw new NoSuchFileException(dir.toString(), null, "no " + VOCAB_TXT + " or " + TOKENIZER_JSON);
    }

    /** Slow-tokenizer files: {@code vocab.txt} (id = line index) and the optional JSON side files. */
    public static BertTokenizer fromVocabTxt(Path dir) throws IOException {
        Path vocabFile = dir.resolve(VOCAB_TXT);
        Map<String, Integer> vocab = readVocabTxt(vocabFile);
        Path configFile = dir.resolve(TOKENIZER_CONFIG);
        JsonNode config = JsonFiles.readIfExists(configFile);
        TokenizerSettings settings = new TokenizerSettings(
                JsonFiles.bool(config, "do_lower_case", true, configFile),
                JsonFiles.optionalBool(config, "strip_accents", configFile),
                JsonFiles.bool(config, "tokenize_chinese_chars", true, configFile),
                JsonFiles.bool(config, "do_basic_tokenize", true, configFile),
                stringList(config, "never_split", configFile),
                "##", 100);
        Map<String, Integer> added = new LinkedHashMap<>();
        addTokensFromDecoderMap(config, configFile, vocab, added);
        Path addedFile = dir.resolve(ADDED_TOKENS);
        JsonNode addedJson = JsonFiles.readIfExists(addedFile);
        if (addedJson != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = addedJson.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().canConvertToInt()) {
                    throw new TokenizerConfigException(addedFile, "id of '" + e.getKey() + "' is not an integer");
                }
                putAdded(added, vocab, e.getKey(), e.getValue().intValue(), addedFile);
            }
        }
        SpecialTokenNames names = readNames(dir, SpecialTokenNames.bertDefaults());
        return new BertTokenizer(vocab, added, names, settings,
                describe(vocabFile, configFile, addedFile, dir.resolve(SPECIAL_TOKENS_MAP)));
    }

    /** {@code tokenizer.json} (WordPiece + BertNormalizer), roles from {@code special_tokens_map.json} if present. */
    public static BertTokenizer fromTokenizerJson(Path dir) throws IOException {
        Path file = dir.resolve(TOKENIZER_JSON);
        JsonNode root = JsonFiles.read(file);
        JsonNode model = root.path("model");
        if (!"WordPiece".equals(model.path("type").asText())) {
            throw new TokenizerConfigException(file, "model.type must be WordPiece, got " + model.path("type"));
        }
        JsonNode vocabNode = model.get("vocab");
        if (vocabNode == null || !vocabNode.isObject()) {
            throw new TokenizerConfigException(file, "missing object model.vocab");
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = vocabNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToInt()) {
                throw new TokenizerConfigException(file, "model.vocab['" + e.getKey() + "'] is not an integer id");
            }
            vocab.put(e.getKey(), e.getValue().intValue());
        }
        TokenizerSettings settings = new TokenizerSettings(
                normalizerFlag(root, "lowercase", file),
                JsonFiles.optionalBool(root.get("normalizer"), "strip_accents", file),
                normalizerFlag(root, "handle_chinese_chars", file),
                true, List.of(),
                textOr(model, "continuing_subword_prefix", "##"),
                model.path("max_input_chars_per_word").asInt(100));
        Map<String, Integer> added = new LinkedHashMap<>();
        for (JsonNode t : root.path("added_tokens")) {
            if (!t.path("id").canConvertToInt() || !t.path("content").isTextual()) {
                throw new TokenizerConfigException(file, "added_tokens entry without integer id / string content: " + t);
            }
            putAdded(added, vocab, t.get("content").textValue(), t.get("id").intValue(), file);
        }
        SpecialTokenNames defaults = SpecialTokenNames.bertDefaults();
        String unk = textOr(model, "unk_token", defaults.unk());
        defaults = new SpecialTokenNames(unk, defaults.sep(), defaults.pad(), defaults.cls(), defaults.mask(),
                null, null, List.of());
        SpecialTokenNames names = readNames(dir, defaults);
        return new BertTokenizer(vocab, added, names, settings,
                describe(file, dir.resolve(TOKENIZER_CONFIG), dir.resolve(SPECIAL_TOKENS_MAP)));
    }

    /** The files that exist among those given, for error messages: "/m/vocab.txt (+ tokenizer_config.json)". */
    private static String describe(Path main, Path... sideFiles) {
        StringBuilder sb = new StringBuilder(main.toString());
        for (Path p : sideFiles) {
            if (Files.isRegularFile(p)) {
                sb.append(" + ").append(p.getFileName());
            }
        }
        return sb.toString();
    }

    /** HF {@code load_vocab}: one token per line (any of \n, \r\n, \r ends a line), id = line index. */
    static Map<String, Integer> readVocabTxt(Path file) throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int index = 0;
            for (String line; (line = r.readLine()) != null; index++) {
                vocab.put(line, index); // a repeated token keeps its last index, as in HF
            }
        }
        if (vocab.isEmpty()) {
            throw new TokenizerConfigException(file, "empty vocabulary");
        }
        return vocab;
    }

    /** Newer HF {@code tokenizer_config.json} lists added tokens by id under {@code added_tokens_decoder}. */
    private static void addTokensFromDecoderMap(JsonNode config, Path file, Map<String, Integer> vocab,
                                                Map<String, Integer> added) {
        JsonNode decoder = config == null ? null : config.get("added_tokens_decoder");
        if (decoder == null || decoder.isNull()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = decoder.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int id;
            try {
                id = Integer.parseInt(e.getKey());
            } catch (NumberFormatException ex) {
                throw new TokenizerConfigException(file, "added_tokens_decoder key '" + e.getKey() + "' is not an id");
            }
            String content = e.getValue().path("content").asText(null);
            if (content == null) {
                throw new TokenizerConfigException(file, "added_tokens_decoder[" + id + "] has no content");
            }
            putAdded(added, vocab, content, id, file);
        }
    }

    /** Tokens already in the WordPiece vocabulary are not "added" for the slow tokenizer; their id must agree. */
    private static void putAdded(Map<String, Integer> added, Map<String, Integer> vocab, String token, int id,
                                 Path file) {
        Integer inVocab = vocab.get(token);
        if (inVocab != null) {
            if (inVocab != id) {
                throw new TokenizerConfigException(file, "token " + token + " has id " + id
                        + " but is line/entry " + inVocab + " of the vocabulary");
            }
            return;
        }
        Integer before = added.put(token, id);
        if (before != null && before != id) {
            throw new TokenizerConfigException(file, "token " + token + " is given ids " + before + " and " + id);
        }
    }

    /** Role strings from {@code special_tokens_map.json}, else {@code tokenizer_config.json}, else defaults. */
    private static SpecialTokenNames readNames(Path dir, SpecialTokenNames defaults) throws IOException {
        Path mapFile = dir.resolve(SPECIAL_TOKENS_MAP);
        Path configFile = dir.resolve(TOKENIZER_CONFIG);
        JsonNode map = JsonFiles.readIfExists(mapFile);
        JsonNode config = JsonFiles.readIfExists(configFile);
        List<String> additional = tokenList(map, "additional_special_tokens", mapFile);
        if (additional == null) {
            additional = tokenList(config, "additional_special_tokens", configFile);
        }
        return new SpecialTokenNames(
                role("unk_token", defaults.unk(), map, mapFile, config, configFile),
                role("sep_token", defaults.sep(), map, mapFile, config, configFile),
                role("pad_token", defaults.pad(), map, mapFile, config, configFile),
                role("cls_token", defaults.cls(), map, mapFile, config, configFile),
                role("mask_token", defaults.mask(), map, mapFile, config, configFile),
                role("bos_token", defaults.bos(), map, mapFile, config, configFile),
                role("eos_token", defaults.eos(), map, mapFile, config, configFile),
                additional == null ? List.of() : additional);
    }

    private static String role(String field, String fallback, JsonNode map, Path mapFile, JsonNode config,
                               Path configFile) {
        String v = tokenString(map, field, mapFile);
        if (v == null) {
            v = tokenString(config, field, configFile);
        }
        return v != null ? v : fallback;
    }

    /** A token given as a string or as a serialised {@code AddedToken} object ({@code {"content": …}}). */
    private static String tokenString(JsonNode obj, String field, Path file) {
        JsonNode v = obj == null ? null : obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isObject() && v.path("content").isTextual()) {
            return v.get("content").textValue();
        }
        throw new TokenizerConfigException(file, "field '" + field + "' must be a token string, got " + v);
    }

    private static List<String> tokenList(JsonNode obj, String field, Path file) {
        JsonNode v = obj == null ? null : obj.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw new TokenizerConfigException(file, "field '" + field + "' must be a list, got " + v);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode t : v) {
            if (t.isTextual()) {
                out.add(t.textValue());
            } else if (t.isObject() && t.path("content").isTextual()) {
                out.add(t.get("content").textValue());
            } else {
                throw new TokenizerConfigException(file, "field '" + field + "' has a non-token entry " + t);
            }
        }
        return out;
    }

    private static List<String> stringList(JsonNode obj, String field, Path file) {
        List<String> list = tokenList(obj, field, file);
        return list == null ? List.of() : list;
    }

    private static boolean normalizerFlag(JsonNode root, String field, Path file) {
        JsonNode normalizer = root.get("normalizer");
        if (normalizer == null || normalizer.isNull()) {
            throw new TokenizerConfigException(file, "missing normalizer (expected BertNormalizer)");
        }
        if (!"BertNormalizer".equals(normalizer.path("type").asText())) {
            throw new TokenizerConfigException(file, "normalizer.type must be BertNormalizer, got "
                    + normalizer.path("type"));
        }
        return JsonFiles.bool(normalizer, field, true, file);
    }

    private static String textOr(JsonNode obj, String field, String fallback) {
        JsonNode v = obj.get(field);
        return v != null && v.isTextual() ? v.textValue() : fallback;
    }
}
