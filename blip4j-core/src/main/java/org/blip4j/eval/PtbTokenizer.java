package org.blip4j.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The COCO caption toolkit's tokenisation (pycocoevalcap/tokenizer/ptbtokenizer.py), in process.
 *
 * <p>The toolkit runs {@code PTBTokenizer -preserveLines -lowerCase file} on all captions of one side joined with
 * newlines. {@code PTBTokenizer.main} turns {@code -preserveLines} into the lexer option {@code ",tokenizeNLs"} and
 * writes tokens space-separated with a line break per newline token; {@code -lowerCase} lower-cases each token with
 * {@link Locale#ENGLISH}. The captions are tokenised as one stream, as the toolkit does, because the lexer keeps
 * state (e.g. open quotes) across lines. Then punctuation tokens are dropped.
 *
 * <p>The lexer is Stanford CoreNLP 3.4.1 (GPL-3.0-or-later), which blip4j does not ship: {@link CoreNlpLexer} finds
 * it at run time and says how to provide it when it is missing.
 */
final class PtbTokenizer {
    /** ptbtokenizer.py PUNCTUATIONS; upper-case bracket tokens only, so lower-cased "-lrb-" survives (toolkit quirk). */
    static final Set<String> PUNCTUATIONS = Set.of("''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-",
            ".", "?", "!", ",", ":", "-", "--", "...", ";");

    /** PTBLexer.NEWLINE_TOKEN (package-private there): the token the lexer emits per line break with tokenizeNLs. */
    private static final String NEWLINE_TOKEN = "*NL*";

    /** The lexer option string {@code PTBTokenizer.main} builds for {@code -preserveLines}. */
    private static final String LEXER_OPTIONS = ",tokenizeNLs";

    /**
     * Tokenises captions exactly as the toolkit would in one call: result i belongs to caption i.
     *
     * @throws IllegalArgumentException if a caption holds a line break other than '\n' (the lexer would start a new
     *                                  line and the official code would silently shift captions onto other images)
     */
    public List<String> tokenize(List<String> captions) {
        StringJoiner joined = new StringJoiner("\n");
        for (int i = 0; i < captions.size(); i++) {
            String caption = captions.get(i).replace('\n', ' ');
            int bad = lineBreakIndex(caption);
            if (bad >= 0) {
                throw new IllegalArgumentException(String.format(
                        "caption #%d contains line break U+%04X, which would misalign the tokenizer output: %s",
                        i, (int) caption.charAt(bad), caption));
            }
            joined.add(caption);
        }
        List<String> lines = splitLines(runLexer(joined.toString()));
        if (lines.size() != captions.size()) {
            throw new IllegalStateException("PTBTokenizer produced " + lines.size() + " lines for "
                    + captions.size() + " captions");
        }
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            out.add(removePunctuation(line));
        }
        return out;
    }

    /** Index of a character that PTBLexer treats as a line break ({@code \r \u2028 \u2029 \u000B \u000C \u0085}), or -1. */
    public static int lineBreakIndex(String caption) {
        for (int i = 0; i < caption.length(); i++) {
            switch (caption.charAt(i)) {
                case '\r', '\u2028', '\u2029', '\u000B', '\u000C', '\u0085':
                    return i;
                default:
                    break;
            }
        }
        return -1;
    }

    /** Mirrors {@code PTBTokenizer.tokReader} with preserveLines and lowerCase set. */
    private static String runLexer(String text) {
        StringBuilder out = new StringBuilder();
        boolean beginLine = true;
        for (String orig : CoreNlpLexer.get().tokens(text, LEXER_OPTIONS)) {
            if (NEWLINE_TOKEN.equals(orig)) {
                beginLine = true;
                out.append('\n');
            } else {
                if (!beginLine) {
                    out.append(' ');
                }
                beginLine = false;
                out.append(orig.toLowerCase(Locale.ENGLISH));
            }
        }
        return out.toString();
    }

    /** Python {@code str.split('\n')}: keeps trailing empty lines (an empty last caption). */
    private static List<String> splitLines(String output) {
        return List.of(output.split("\n", -1));
    }

    /** {@code ' '.join(w for w in line.rstrip().split(' ') if w not in PUNCTUATIONS)}. */
    static String removePunctuation(String line) {
        StringJoiner kept = new StringJoiner(" ");
        for (String word : PythonText.splitOnSpace(PythonText.rstrip(line))) {
            if (!PUNCTUATIONS.contains(word)) {
                kept.add(word);
            }
        }
        return kept.toString();
    }
}
