package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code blip bootstrap} and {@code blip demo --rounds}: the commands exist and refuse bad round counts before any
 * work. The rounds themselves run in blip4j-demo's {@code BootstrapRoundsTest} (a world smaller than --quick).
 */
class BootstrapCommandTest {
    @TempDir
    Path tmp;

    @Test
    void roundsMustBePositiveAndNothingIsWrittenOtherwise() {
        Path out = tmp.resolve("b");
        var b = CliRunner.run("bootstrap", "--quick", "--rounds", "0", "--out", out.toString());
        assertEquals(2, b.exit());
        assertTrue(b.err().contains("--rounds must be >= 1, got 0"), b.err());
        var d = CliRunner.run("demo", "--quick", "--rounds", "-1", "--out", out.toString());
        assertEquals(2, d.exit());
        assertTrue(d.err().contains("--rounds must be >= 1, got -1"), d.err());
        assertFalse(Files.exists(out));
        var help = CliRunner.run("bootstrap", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--rounds") && help.out().contains("round-r/bootstrapped.json"), help.out());
    }
}
