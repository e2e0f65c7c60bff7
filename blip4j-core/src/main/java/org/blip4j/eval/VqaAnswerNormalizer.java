package org.blip4j.eval;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answer normalisation of the official VQA evaluation (vqaEval.py, GT-Vision-Lab/VQA a013f00), quirks included:
 * the "is the punctuation spaced?" test looks at the original text, a digit-comma-digit anywhere deletes every
 * punctuation mark, the period regex's broken look-behind removes any '.' not followed by a digit, and at most
 * 32 periods go (re.UNICODE passed as the count).
 */
final class VqaAnswerNormalizer {
    private static final List<String> PUNCT = List.of(";", "/", "[", "]", "\"", "{", "}", "(", ")", "=", "+", "\\",
            "_", "-", ">", "<", "@", "`", ",", "?", "!");
    /** Python 2 semantics: \d is ASCII-only without re.UNICODE. */
    private static final Pattern COMMA_STRIP = Pattern.compile("([0-9])(,)([0-9])");
    /** "(?!<=\d)" is a look-ahead for the literal "<=" and a digit, so it never blocks a match. */
    private static final Pattern PERIOD_STRIP = Pattern.compile("(?!<=[0-9])(\\.)(?![0-9])");
    private static final int PERIOD_STRIP_COUNT = 32; // re.UNICODE == 32, passed positionally as count
    private static final Map<String, String> MANUAL_MAP = Map.ofEntries(
            Map.entry("none", "0"), Map.entry("zero", "0"), Map.entry("one", "1"), Map.entry("two", "2"),
            Map.entry("three", "3"), Map.entry("four", "4"), Map.entry("five", "5"), Map.entry("six", "6"),
            Map.entry("seven", "7"), Map.entry("eight", "8"), Map.entry("nine", "9"), Map.entry("ten", "10"));
    private static final Set<String> ARTICLES = Set.of("a", "an", "the");
    /** The official map verbatim; keys are case-sensitive, so "Im"/"Ive" never match after lower-casing. */
    private static final Map<String, String> CONTRACTIONS = contractions(
            "aint", "ain't", "arent", "aren't", "cant", "can't", "couldve", "could've", "couldnt", "couldn't",
            "couldn'tve", "couldn't've", "couldnt've", "couldn't've", "didnt", "didn't", "doesnt", "doesn't",
            "dont", "don't", "hadnt", "hadn't", "hadnt've", "hadn't've", "hadn'tve", "hadn't've", "hasnt", "hasn't",
            "havent", "haven't", "hed", "he'd", "hed've", "he'd've", "he'dve", "he'd've", "hes", "he's",
            "howd", "how'd", "howll", "how'll", "hows", "how's", "Id've", "I'd've", "I'dve", "I'd've",
            "Im", "I'm", "Ive", "I've", "isnt", "isn't", "itd", "it'd", "itd've", "it'd've", "it'dve", "it'd've",
            "itll", "it'll", "let's", "let's", "maam", "ma'am", "mightnt", "mightn't", "mightnt've", "mightn't've",
            "mightn'tve", "mightn't've", "mightve", "might've", "mustnt", "mustn't", "mustve", "must've",
            "neednt", "needn't", "notve", "not've", "oclock", "o'clock", "oughtnt", "oughtn't",
            "ow's'at", "'ow's'at", "'ows'at", "'ow's'at", "'ow'sat", "'ow's'at", "shant", "shan't",
            "shed've", "she'd've", "she'dve", "she'd've", "she's", "she's", "shouldve", "should've",
            "shouldnt", "shouldn't", "shouldnt've", "shouldn't've", "shouldn'tve", "shouldn't've",
            "somebody'd", "somebodyd", "somebodyd've", "somebody'd've", "somebody'dve", "somebody'd've",
            "somebodyll", "somebody'll", "somebodys", "somebody's", "someoned", "someone'd",
            "someoned've", "someone'd've", "someone'dve", "someone'd've", "someonell", "someone'll",
            "someones", "someone's", "somethingd", "something'd", "somethingd've", "something'd've",
            "something'dve", "something'd've", "somethingll", "something'll", "thats", "that's",
            "thered", "there'd", "thered've", "there'd've", "there'dve", "there'd've", "therere", "there're",
            "theres", "there's", "theyd", "they'd", "theyd've", "they'd've", "they'dve", "they'd've",
            "theyll", "they'll", "theyre", "they're", "theyve", "they've", "twas", "'twas", "wasnt", "wasn't",
            "wed've", "we'd've", "we'dve", "we'd've", "weve", "we've", "werent", "weren't", "whatll", "what'll",
            "whatre", "what're", "whats", "what's", "whatve", "what've", "whens", "when's", "whered", "where'd",
            "wheres", "where's", "whereve", "where've", "whod", "who'd", "whod've", "who'd've", "who'dve", "who'd've",
            "wholl", "who'll", "whos", "who's", "whove", "who've", "whyll", "why'll", "whyre", "why're",
            "whys", "why's", "wont", "won't", "wouldve", "would've", "wouldnt", "wouldn't", "wouldnt've", "wouldn't've",
            "wouldn'tve", "wouldn't've", "yall", "y'all", "yall'll", "y'all'll", "y'allll", "y'all'll",
            "yall'd've", "y'all'd've", "y'alld've", "y'all'd've", "y'all'dve", "y'all'd've", "youd", "you'd",
            "youd've", "you'd've", "you'dve", "you'd've", "youll", "you'll", "youre", "you're", "youve", "you've");

    private VqaAnswerNormalizer() {
    }

    /** {@code .replace('\n',' ').replace('\t',' ').strip()}, applied to every answer before anything else. */
    public static String clean(String answer) {
        return PythonText.strip(answer.replace('\n', ' ').replace('\t', ' '));
    }

    /** vqaEval.processPunctuation. */
    public static String processPunctuation(String inText) {
        String out = inText;
        boolean digitCommaDigit = COMMA_STRIP.matcher(inText).find();
        for (String p : PUNCT) {
            // the spacing test reads the original text, not the partly processed one
            if (inText.contains(p + " ") || inText.contains(" " + p) || digitCommaDigit) {
                out = out.replace(p, "");
            } else {
                out = out.replace(p, " ");
            }
        }
        Matcher m = PERIOD_STRIP.matcher(out);
        StringBuilder sb = new StringBuilder();
        int removed = 0;
        while (removed < PERIOD_STRIP_COUNT && m.find()) {
            m.appendReplacement(sb, "");
            removed++;
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** vqaEval.processDigitArticle: lower-case, number words to digits, drop articles, restore contractions. */
    public static String processDigitArticle(String inText) {
        List<String> words = new ArrayList<>();
        for (String word : PythonText.split(inText.toLowerCase(java.util.Locale.ROOT))) {
            word = MANUAL_MAP.getOrDefault(word, word);
            if (!ARTICLES.contains(word)) {
                words.add(CONTRACTIONS.getOrDefault(word, word));
            }
        }
        return String.join(" ", words);
    }

    private static Map<String, String> contractions(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            if (map.put(pairs[i], pairs[i + 1]) != null) {
                throw new IllegalStateException("duplicate contraction " + pairs[i]);
            }
        }
        return Map.copyOf(map);
    }
}
