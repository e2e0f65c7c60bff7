package org.blip4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CoreNLP (GPL) is not a dependency of blip4j's artefacts: without it, caption tokenisation fails with a message
 * saying how to provide it, and with the jar named at run time it tokenises as PTBTokenizer 3.4.1 does.
 */
class CoreNlpLexerTest {
    @TempDir
    Path tmp;

    @Test
    void absentCoreNlpIsExplainedAndAJarGivenAtRunTimeIsUsed() throws Exception {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        String jar = Arrays.stream(entries).filter(e -> e.contains("stanford-corenlp")).findFirst().orElseThrow();
        String withoutCoreNlp = String.join(File.pathSeparator,
                Arrays.stream(entries).filter(e -> !e.contains("stanford-corenlp")).toList());
        // an empty home: no local Maven repository to find the jar in
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Duser.home=" + tmp, "-cp", withoutCoreNlp, CoreNlpLookupProbe.class.getName(), jar));
        pb.environment().remove(CoreNlpLexer.JAR_ENV);
        Path log = tmp.resolve("probe.log");
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not finish");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.startsWith("ABSENT ") || l.startsWith("TOKENS ")).toList();
        assertEquals(2, lines.size(), out);
        assertTrue(lines.get(0).startsWith("ABSENT ") && lines.get(0).contains("GPL")
                && lines.get(0).contains("mvn dependency:get -Dartifact=edu.stanford.nlp:stanford-corenlp:3.4.1")
                && lines.get(0).contains(CoreNlpLexer.JAR_PROPERTY), out);
        assertEquals("TOKENS [a man ca n't ride 3 horses]", lines.get(1), out);
    }
}
