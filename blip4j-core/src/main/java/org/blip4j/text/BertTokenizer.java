package org.blip4j.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Pure-Java port of the transformers-4.15 slow {@code BertTokenizer} (the tokenizer the official BLIP code uses):
 * added/special tokens are cut out first, the rest goes through {@link BasicTokenizer} and
 * {@link WordpieceTokenizer}; {@link #decode} follows {@code PreTrainedTokenizer._decode}. Immutable and
 * thread-safe. Load one with {@link TokenizerFiles}.
 */
public final class BertTokenizer {
    private final Map<String, Integer> vocab;
    private final Map<Integer, String> vocabById;
    private final Map<String, Integer> added;
    private final Map<Integer, String> addedById;
    private final SpecialTokenNames names;
    private final TokenizerSettings settings;
    private final String source;
    private final BasicTokenizer basic;
    private final WordpieceTokenizer wordpiece;
    /** Special strings, longest first, for the per-character lower-casing pass. */
    private final List<String> specialsLongestFirst;
    /** Specials and added tokens, longest first: HF {@code unique_no_split_tokens}. */
    private final List<String> noSplitLongestFirst;
    private final Set<String> basicNeverSplit;
    private final Set<Long> specialIds;

    /**
     * @param vocab       the WordPiece vocabulary, token to id ({@code vocab.txt} line index)
     * @param addedTokens tokens outside {@code vocab} with their ids (e.g. BLIP's [DEC], [ENC])
     * @param source      where this came from, for error messages (e.g. the directory or file)
     */
    public BertTokenizer(Map<String, Integer> vocab, Map<String, Integer> addedTokens, SpecialTokenNames names,
                         TokenizerSettings settings, String source) {
        this.vocab = Collections.unmodifiableMap(new LinkedHashMap<>(vocab));
        this.vocabById = invert(this.vocab);
        this.added = Collections.unmodifiableMap(new LinkedHashMap<>(addedTokens));
        this.addedById = invert(this.added);
        this.names = names;
        this.settings = settings;
        this.source = source;
        checkAddedTokens();
        if (!contains(names.unk())) {
            throw new TokenizerConfigException(source + ": unknown token '" + names.unk() + "' is not in the vocabulary");
        }
        this.basic = new BasicTokenizer(settings.lowerCase(), settings.stripAccents(), settings.tokenizeChineseChars());
        this.wordpiece = new WordpieceTokenizer(this::contains, names.unk(), settings.wordpiecePrefix(),
                settings.maxInputCharsPerWord());
        this.specialsLongestFirst = longestFirst(names.all());
        Set<String> noSplit = new LinkedHashSet<>(names.all());
        noSplit.addAll(this.added.keySet());
        this.noSplitLongestFirst = longestFirst(noSplit);
        Set<String> neverSplit = new HashSet<>(names.all());
        neverSplit.addAll(settings.neverSplit());
        this.basicNeverSplit = Collections.unmodifiableSet(neverSplit);
        Set<Long> ids = new HashSet<>();
        for (String s : names.all()) {
            ids.add((long) tokenToId(s));
        }
        this.specialIds = Collections.unmodifiableSet(ids);
    }

    // ---------------------------------------------------------------- encoding

    /** Word pieces of {@code text}, without [CLS]/[SEP] (HF {@code tokenize}). */
    public List<String> tokenize(String text) {
        if (settings.lowerCase()) {
            text = lowerCaseOutsideSpecials(text);
        }
        List<String> tokens = new ArrayList<>();
        if (CharClasses.pythonSplit(text).isEmpty()) {
            return tokens;
        }
        for (String segment : splitOnNoSplitTokens(text)) {
            if (added.containsKey(segment) || names.all().contains(segment)) {
                tokens.add(segment);
            } else {
                tokens.addAll(tokenizeSegment(segment));
            }
        }
        return tokens;
    }

    /** {@code [CLS] pieces… [SEP]} ids for one text, no truncation. */
    public long[] encode(String text) {
        return withSpecials(tokensToIds(tokenize(text)));
    }

    /**
     * HF {@code tokenizer(texts, padding=…, truncation=…, max_length=…)}: {@code [CLS] pieces… [SEP]}, padded on
     * the right with [PAD] (mask 0).
     *
     * @param maxLength  limit including [CLS]/[SEP]; {@code <= 0} means none (only valid without MAX_LENGTH padding;
     *                   unlike HF, which then truncates to {@code model_max_length}, nothing is cut)
     * @param truncation cut the pieces (from the end) so that a row fits {@code maxLength}
     */
    public TokenBatch encode(List<String> texts, int maxLength, Padding padding, boolean truncation) {
        boolean limited = maxLength > 0;
        if (padding == Padding.MAX_LENGTH && !limited) {
            throw new IllegalArgumentException("padding MAX_LENGTH needs maxLength > 0, got " + maxLength);
        }
        if (truncation && limited && maxLength < 2) {
            throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room for [CLS] and [SEP]");
        }
        long[][] rows = new long[texts.size()][];
        int longest = 0;
        for (int i = 0; i < rows.length; i++) {
            long[] pieces = tokensToIds(tokenize(texts.get(i)));
            if (truncation && limited && pieces.length > maxLength - 2) {
                pieces = Arrays.copyOf(pieces, maxLength - 2);
            }
            rows[i] = withSpecials(pieces);
            longest = Math.max(longest, rows[i].length);
        }
        int target = switch (padding) {
            case LONGEST -> longest;
            case MAX_LENGTH -> maxLength;
            case NONE -> -1;
        };
        return pad(rows, target, maxLength);
    }

    private TokenBatch pad(long[][] rows, int target, int maxLength) {
        long padId = padId();
        long[][] ids = new long[rows.length][];
        long[][] mask = new long[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            int len = target < 0 ? rows[i].length : target;
            if (rows[i].length > len) {
                throw new IllegalArgumentException("text " + i + " has " + rows[i].length
                        + " tokens, more than max_length " + maxLength + " (enable truncation)");
            }
            ids[i] = new long[len];
            mask[i] = new long[len];
            Arrays.fill(ids[i], padId);
            System.arraycopy(rows[i], 0, ids[i], 0, rows[i].length);
            Arrays.fill(mask[i], 0, rows[i].length, 1L);
        }
        return new TokenBatch(ids, mask);
    }

    private long[] withSpecials(long[] pieces) {
        long[] out = new long[pieces.length + 2];
        out[0] = tokenToId(names.cls());
        System.arraycopy(pieces, 0, out, 1, pieces.length);
        out[out.length - 1] = tokenToId(names.sep());
        return out;
    }

    private long[] tokensToIds(List<String> tokens) {
        long[] ids = new long[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = tokenToId(tokens.get(i));
        }
        return ids;
    }

    /**
     * HF lower-cases everything but the special strings before splitting, one character at a time (regex
     * {@code (specials)|(.+?)}), so no context-dependent mapping (final sigma) applies and '\n' is left alone.
     */
    private String lowerCaseOutsideSpecials(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        int i = 0;
        outer:
        while (i < text.length()) {
            for (String s : specialsLongestFirst) {
                if (text.startsWith(s, i)) {
                    sb.append(s);
                    i += s.length();
                    continue outer;
                }
            }
            int cp = text.codePointAt(i);
            String ch = new String(Character.toChars(cp));
            sb.append(cp == '\n' ? ch : ch.toLowerCase(Locale.ROOT));
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    /** Cuts out every occurrence of a special/added token (leftmost first), dropping blank pieces between them. */
    private List<String> splitOnNoSplitTokens(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        outer:
        while (i < text.length()) {
            for (String s : noSplitLongestFirst) {
                if (text.startsWith(s, i)) {
                    addIfNotBlank(out, text.substring(start, i));
                    out.add(s);
                    i += s.length();
                    start = i;
                    continue outer;
                }
            }
            i++;
        }
        addIfNotBlank(out, text.substring(start));
        return out;
    }

    private static void addIfNotBlank(List<String> out, String piece) {
        if (!CharClasses.pythonSplit(piece).isEmpty()) {
            out.add(piece);
        }
    }

    /** HF {@code BertTokenizer._tokenize}. */
    private List<String> tokenizeSegment(String segment) {
        if (!settings.basicTokenize()) {
            return wordpiece.tokenize(segment);
        }
        List<String> out = new ArrayList<>();
        for (String token : basic.tokenize(segment, basicNeverSplit)) {
            if (settings.neverSplit().contains(token)) {
                out.add(token);
            } else {
                out.addAll(wordpiece.tokenize(token));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- decoding

    /** {@link #decode(long[], boolean, boolean)} with clean-up of tokenization spaces (HF default). */
    public String decode(long[] ids, boolean skipSpecialTokens) {
        return decode(ids, skipSpecialTokens, true);
    }

    /**
     * HF 4.15 slow {@code decode}: ids to tokens (unknown ids give the unknown token), specials dropped if asked;
     * runs of vocabulary tokens are joined with spaces and glued at "##"; added tokens ([DEC], [ENC]) stay
     * separate words; then optionally {@link #cleanUpTokenization}.
     */
    public String decode(long[] ids, boolean skipSpecialTokens, boolean cleanUpTokenizationSpaces) {
        List<String> parts = new ArrayList<>();
        List<String> run = new ArrayList<>();
        for (long id : ids) {
            if (skipSpecialTokens && specialIds.contains(id)) {
                continue;
            }
            String token = idToToken(id);
            if (added.containsKey(token)) {
                if (!run.isEmpty()) {
                    parts.add(tokensToString(run));
                    run.clear();
                }
                parts.add(token);
            } else {
                run.add(token);
            }
        }
        if (!run.isEmpty()) {
            parts.add(tokensToString(run));
        }
        String text = String.join(" ", parts);
        return cleanUpTokenizationSpaces ? cleanUpTokenization(text) : text;
    }

    /** HF {@code BertTokenizer.convert_tokens_to_string}. */
    static String tokensToString(List<String> tokens) {
        return pythonStrip(String.join(" ", tokens).replace(" ##", ""));
    }

    /** HF {@code clean_up_tokenization}: removes the space before punctuation and English contractions. */
    public static String cleanUpTokenization(String text) {
        return text.replace(" .", ".")
                .replace(" ?", "?")
                .replace(" !", "!")
                .replace(" ,", ",")
                .replace(" ' ", "'")
                .replace(" n't", "n't")
                .replace(" 'm", "'m")
                .replace(" 's", "'s")
                .replace(" 've", "'ve")
                .replace(" 're", "'re");
    }

    private static String pythonStrip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && CharClasses.isPythonSpace(s.codePointAt(start))) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && CharClasses.isPythonSpace(s.codePointBefore(end))) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    // ---------------------------------------------------------------- vocabulary

    /** Id of {@code token}; the unknown token's id if it is not in the vocabulary (HF semantics). */
    public int tokenToId(String token) {
        Integer id = added.get(token);
        if (id == null) {
            id = vocab.get(token);
        }
        return id != null ? id : unkId();
    }

    /** Whether {@code token} is in the vocabulary or an added token. */
    public boolean contains(String token) {
        return added.containsKey(token) || vocab.containsKey(token);
    }

    /** Token of {@code id}; the unknown token's string for ids outside the vocabulary (HF semantics). */
    public String idToToken(long id) {
        String token = findToken(id);
        return token != null ? token : names.unk();
    }

    /** Token of {@code id}, or null if no token has that id. */
    public String findToken(long id) {
        if (id < Integer.MIN_VALUE || id > Integer.MAX_VALUE) {
            return null;
        }
        String token = addedById.get((int) id);
        return token != null ? token : vocabById.get((int) id);
    }

    /** HF {@code len(tokenizer)}: WordPiece entries plus added tokens. */
    public int vocabSize() {
        return vocab.size() + added.size();
    }

    /** Largest id of any token (the embedding matrix needs at least {@code maxId() + 1} rows). */
    public int maxId() {
        int max = -1;
        for (int id : vocabById.keySet()) {
            max = Math.max(max, id);
        }
        for (int id : addedById.keySet()) {
            max = Math.max(max, id);
        }
        return max;
    }

    /** HF {@code vocab_size}: WordPiece entries only (30522 for bert-base-uncased). */
    public int baseVocabSize() {
        return vocab.size();
    }

    public int padId() {
        return tokenToId(names.pad());
    }

    public int unkId() {
        Integer id = added.get(names.unk());
        return id != null ? id : vocab.get(names.unk());
    }

    public int clsId() {
        return tokenToId(names.cls());
    }

    public int sepId() {
        return tokenToId(names.sep());
    }

    public int maskId() {
        return tokenToId(names.mask());
    }

    /** HF {@code all_special_ids}. */
    public Set<Long> specialIds() {
        return specialIds;
    }

    public Map<String, Integer> addedTokens() {
        return added;
    }

    public SpecialTokenNames specialTokenNames() {
        return names;
    }

    public TokenizerSettings settings() {
        return settings;
    }

    /** The file(s) this tokenizer was read from, for error messages. */
    public String source() {
        return source;
    }

    /**
     * A tokenizer that also knows the given special tokens (HF {@code add_special_tokens}), as BLIP's
     * {@code init_tokenizer} adds [DEC]/[ENC] to bert-base-uncased. Tokens already present with the same id are
     * only marked special; a token present with another id, or an id taken by another token, is an error.
     */
    public BertTokenizer withAddedSpecialTokens(Map<String, Integer> tokens) {
        Map<String, Integer> merged = new LinkedHashMap<>(added);
        for (Map.Entry<String, Integer> e : tokens.entrySet()) {
            if (contains(e.getKey())) {
                if (tokenToId(e.getKey()) != e.getValue()) {
                    throw new TokenizerConfigException(source + ": token " + e.getKey() + " has id "
                            + tokenToId(e.getKey()) + ", not " + e.getValue());
                }
            } else {
                merged.put(e.getKey(), e.getValue());
            }
        }
        return new BertTokenizer(vocab, merged, names.withAdditional(new ArrayList<>(tokens.keySet())), settings,
                source);
    }

    private void checkAddedTokens() {
        for (Map.Entry<String, Integer> e : added.entrySet()) {
            String other = vocabById.get(e.getValue());
            if (other != null && !other.equals(e.getKey())) {
                throw new TokenizerConfigException(source + ": added token " + e.getKey() + " has id "
                        + e.getValue() + ", which is already '" + other + "'");
            }
            Integer inVocab = vocab.get(e.getKey());
            if (inVocab != null && !inVocab.equals(e.getValue())) {
                throw new TokenizerConfigException(source + ": added token " + e.getKey() + " has id "
                        + e.getValue() + " but id " + inVocab + " in the vocabulary");
            }
        }
        if (addedById.size() != added.size()) {
            throw new TokenizerConfigException(source + ": two added tokens share an id: " + added);
        }
    }

    private static Map<Integer, String> invert(Map<String, Integer> map) {
        Map<Integer, String> out = new HashMap<>();
        map.forEach((token, id) -> out.put(id, token));
        return out;
    }

    private static List<String> longestFirst(Set<String> tokens) {
        List<String> list = new ArrayList<>(tokens);
        list.removeIf(String::isEmpty);
        list.sort(Comparator.comparingInt(String::length).reversed());
        return List.copyOf(list);
    }
}
