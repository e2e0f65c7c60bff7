package org.blip4j.eval;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stanford CoreNLP's {@code PTBTokenizer}, found at run time. CoreNLP is GPL-3.0-or-later, so blip4j's artefacts do
 * not depend on it; caption metrics need it to tokenise exactly as pycocoevalcap does (CoreNLP 3.4.1). Looked for,
 * in this order: on the class path, in the jar named by the system property {@value #JAR_PROPERTY}, in the jar named
 * by the environment variable {@value #JAR_ENV}, and in the local Maven repository
 * ({@code ~/.m2/repository/edu/stanford/nlp/stanford-corenlp/3.4.1/}).
 */
final class CoreNlpLexer {
    static final String JAR_PROPERTY = "blip4j.corenlp.jar";
    static final String JAR_ENV = "BLIP4J_CORENLP_JAR";
    static final String VERSION = "3.4.1";
    private static final String JAR_NAME = "stanford-corenlp-" + VERSION + ".jar";
    private static final String TOKENIZER = "edu.stanford.nlp.process.PTBTokenizer";

    private final Constructor<?> newTokenizer;
    private final Object tokenFactory;
    private final Method hasNext;
    private final Method next;
    private final Method get;
    private final Class<?> textAnnotation;

    private static volatile CoreNlpLexer instance;

    private CoreNlpLexer(ClassLoader loader) throws ReflectiveOperationException {
        Class<?> tokenizer = Class.forName(TOKENIZER, true, loader);
        Class<?> factory = Class.forName("edu.stanford.nlp.process.LexedTokenFactory", true, loader);
        newTokenizer = tokenizer.getConstructor(Reader.class, factory, String.class);
        tokenFactory = Class.forName("edu.stanford.nlp.process.CoreLabelTokenFactory", true, loader)
                .getConstructor().newInstance();
        hasNext = tokenizer.getMethod("hasNext");
        next = tokenizer.getMethod("next");
        get = Class.forName("edu.stanford.nlp.ling.CoreLabel", true, loader).getMethod("get", Class.class);
        textAnnotation = Class.forName("edu.stanford.nlp.ling.CoreAnnotations$TextAnnotation", true, loader);
    }

    /** The lexer, loaded once per JVM; a clear error saying how to provide CoreNLP when it cannot be found. */
    static CoreNlpLexer get() {
        CoreNlpLexer l = instance;
        if (l == null) {
            synchronized (CoreNlpLexer.class) {
                if (instance == null) {
                    instance = load();
                }
                l = instance;
            }
        }
        return l;
    }

    /** The original text of every token of {@code text}, with the given lexer options. */
    List<String> tokens(String text, String options) {
        try {
            Object tokenizer = newTokenizer.newInstance(new StringReader(text), tokenFactory, options);
            List<String> out = new ArrayList<>();
            while ((Boolean) hasNext.invoke(tokenizer)) {
                out.add((String) get.invoke(next.invoke(tokenizer), textAnnotation));
            }
            return out;
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("PTBTokenizer failed: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("PTBTokenizer could not be called: " + e, e);
        }
    }

    private static CoreNlpLexer load() {
        ClassLoader own = CoreNlpLexer.class.getClassLoader();
        try {
            Class.forName(TOKENIZER, false, own);
            return new CoreNlpLexer(own);
        } catch (ClassNotFoundException e) {
            // not on the class path: look for the jar
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the CoreNLP on the class path has no usable PTBTokenizer (version "
                    + VERSION + " is needed): " + e, e);
        }
        List<Path> tried = new ArrayList<>();
        for (Path jar : candidates()) {
            tried.add(jar);
            if (Files.isRegularFile(jar)) {
                try {
                    URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, own);
                    return new CoreNlpLexer(loader);
                } catch (IOException | ReflectiveOperationException | LinkageError e) {
                    throw new IllegalStateException(jar + ": not a usable Stanford CoreNLP " + VERSION + " jar: " + e,
                            e);
                }
            }
        }
        throw new IllegalStateException("Caption metrics tokenise like pycocoevalcap, with Stanford CoreNLP " + VERSION
                + "'s PTBTokenizer. CoreNLP is GPL-3.0-or-later, so blip4j does not ship it. Looked for it on the "
                + "class path and in " + tried + ". Provide it with: mvn dependency:get -Dartifact=edu.stanford.nlp:"
                + "stanford-corenlp:" + VERSION + " (fills the local Maven repository), or -D" + JAR_PROPERTY
                + "=FILE / " + JAR_ENV + "=FILE naming " + JAR_NAME + ".");
    }

    private static List<Path> candidates() {
        List<Path> c = new ArrayList<>();
        String property = System.getProperty(JAR_PROPERTY);
        if (property != null && !property.isBlank()) {
            c.add(Path.of(property));
        }
        String env = System.getenv(JAR_ENV);
        if (env != null && !env.isBlank()) {
            c.add(Path.of(env));
        }
        String repo = System.getProperty("maven.repo.local");
        Path m2 = repo != null && !repo.isBlank() ? Path.of(repo)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        c.add(m2.resolve("edu/stanford/nlp/stanford-corenlp/" + VERSION + "/" + JAR_NAME));
        return c;
    }
}
