package org.blip4j.eval;

import java.util.List;

/**
 * Run by {@link CoreNlpLexerTest} in a JVM without CoreNLP on its class path: prints what caption tokenisation does
 * without CoreNLP, then with the jar named by {@value CoreNlpLexer#JAR_PROPERTY}.
 */
public final class CoreNlpLookupProbe {
    private CoreNlpLookupProbe() {
    }

    public static void main(String[] args) {
        List<String> captions = List.of("A man can't ride 3 horses.");
        try {
            System.out.println("TOKENS " + new PtbTokenizer().tokenize(captions));
        } catch (IllegalStateException e) {
            System.out.println("ABSENT " + e.getMessage());
        }
        System.setProperty(CoreNlpLexer.JAR_PROPERTY, args[0]);
        System.out.println("TOKENS " + new PtbTokenizer().tokenize(captions));
    }
}
