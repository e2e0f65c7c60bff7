package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code blip demo --quick} end to end: every stage runs and the report holds the numbers. */
class DemoCommandTest {
    @TempDir
    Path tmp;

    @Test
    void quickDemoWritesTheReport() throws Exception {
        Path out = tmp.resolve("demo");
        var r = CliRunner.run("demo", "--quick", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        Path md = out.resolve("report.md");
        assertTrue(Files.exists(md), "report.md written");
        String report = Files.readString(md);
        assertTrue(report.matches("(?s).*\\| no CapFilt \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\|.*"),
                report);
        assertTrue(report.matches("(?s).*\\| CapFilt \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\|.*"),
                report);
        assertTrue(report.contains("corrupted web texts removed (recall): **"), report);
        assertTrue(report.contains("human-annotated images (5 captions each)"), report);
        assertTrue(report.matches("(?s).*Held-out accuracy: .*object shape [0-9.]+%.*"), report);
        assertTrue(Files.isRegularFile(out.resolve("pretrain_vision/model/model.safetensors")));
        assertTrue(Files.size(out.resolve("comparison.png")) > 1000);
        assertTrue(Files.exists(out.resolve("capfilt").resolve("bootstrapped.json")));
        assertTrue(r.out().contains("no CapFilt") && r.out().contains("report: "), r.out());
        // a rerun finds every stage done and only re-evaluates
        var again = CliRunner.run("demo", "--quick", "--out", out.toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("already done"), again.err());
        String rerun = Files.readString(md);
        // the skipped stages keep the first run's times, marked as such; the re-run ones show this run's
        assertTrue(rerun.matches("(?s).*\\| pre-train on web \\+ human \\(no CapFilt\\) \\| [0-9.]+ "
                + "\\(earlier run\\) \\|.*"), rerun);
        assertTrue(rerun.matches("(?s).*\\| pre-train the image encoder on the labelled vision split \\| [0-9.]+ "
                + "\\(earlier run\\) \\|.*"), rerun);
        assertTrue(rerun.matches("(?s).*\\| evaluate both models on the test split \\| [0-9.]+ \\|.*"), rerun);
    }
}
