package org.blip4j.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.blip4j.util.AtomicFiles;

/**
 * Writes a small uncased WordPiece vocabulary for a closed world (the synthetic demo has no BERT vocabulary to
 * download): specials, ASCII punctuation, digits, letters and their ## continuations (so any text tokenizes), the
 * given words, then [DEC] and [ENC] as the last two ids — the layout BLIP's init_tokenizer produces.
 */
public final class VocabularyBuilder {
    private VocabularyBuilder() {
    }

    public static List<String> tokens(Collection<String> words) {
        Set<String> out = new LinkedHashSet<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        for (char c = '!'; c <= '~'; c++) {
            if (!Character.isLetter(c)) {
                out.add(String.valueOf(c));
            }
        }
        for (char c = 'a'; c <= 'z'; c++) {
            out.add(String.valueOf(c));
        }
        for (char c = 'a'; c <= 'z'; c++) {
            out.add("##" + c);
        }
        for (char c = '0'; c <= '9'; c++) {
            out.add("##" + c);
        }
        for (String w : new TreeSet<>(words)) {
            String lw = w.toLowerCase(java.util.Locale.ROOT).trim();
            if (!lw.isEmpty() && !lw.contains(" ")) {
                out.add(lw);
            }
        }
        out.add("[DEC]");
        out.add("[ENC]");
        return new ArrayList<>(out);
    }

    /** Writes vocab.txt, tokenizer_config.json and special_tokens_map.json into {@code dir}. */
    public static void write(Path dir, Collection<String> words) throws IOException {
        Files.createDirectories(dir);
        List<String> tokens = tokens(words);
        AtomicFiles.writeString(dir.resolve(TokenizerFiles.VOCAB_TXT), String.join("\n", tokens) + "\n");
        ObjectMapper json = new ObjectMapper();
        ObjectNode cfg = json.createObjectNode();
        ObjectNode added = cfg.putObject("added_tokens_decoder");
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.startsWith("[") && t.endsWith("]") && t.length() > 2) {
                ObjectNode n = added.putObject(Integer.toString(i));
                n.put("content", t);
                n.put("lstrip", false);
                n.put("normalized", false);
                n.put("rstrip", false);
                n.put("single_word", false);
                n.put("special", true);
            }
        }
        cfg.putArray("additional_special_tokens").add("[ENC]");
        cfg.put("bos_token", "[DEC]");
        cfg.put("cls_token", "[CLS]");
        cfg.put("do_lower_case", true);
        cfg.put("mask_token", "[MASK]");
        cfg.put("model_max_length", 512);
        cfg.put("pad_token", "[PAD]");
        cfg.put("sep_token", "[SEP]");
        cfg.put("tokenize_chinese_chars", true);
        cfg.put("tokenizer_class", "BertTokenizer");
        cfg.put("unk_token", "[UNK]");
        AtomicFiles.writeString(dir.resolve(TokenizerFiles.TOKENIZER_CONFIG),
                json.writerWithDefaultPrettyPrinter().writeValueAsString(cfg));
        ObjectNode map = json.createObjectNode();
        map.putArray("additional_special_tokens").add("[ENC]");
        map.put("bos_token", "[DEC]");
        map.put("cls_token", "[CLS]");
        map.put("mask_token", "[MASK]");
        map.put("pad_token", "[PAD]");
        map.put("sep_token", "[SEP]");
        map.put("unk_token", "[UNK]");
        AtomicFiles.writeString(dir.resolve(TokenizerFiles.SPECIAL_TOKENS_MAP),
                json.writerWithDefaultPrettyPrinter().writeValueAsString(map));
    }
}
