package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code blip bootstrap --quick --rounds 2}: both rounds' datasets and the per-round report, and a resume. */
class BootstrapCommandTest {
    @TempDir
    Path tmp;

    @Test
    void twoRoundsWriteBothDatasetsReportBothAndResume() throws Exception {
        Path out = tmp.resolve("boot");
        var r = CliRunner.run("bootstrap", "--quick", "--rounds", "2", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        for (int round = 1; round <= 2; round++) {
            Path data = out.resolve("round-" + round).resolve("bootstrapped.json");
            assertTrue(Files.size(data) > 100, data.toString());
            assertTrue(Files.readString(out.resolve("round-" + round).resolve("report.md")).contains("Noise ratio"));
        }
        assertTrue(Files.isRegularFile(out.resolve("round-2/pretrain/model/model.safetensors")));
        assertFalse(Files.exists(out.resolve("capfilt")), "with rounds, CapFilt writes into round-r");
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## Rounds of bootstrapping"), md);
        for (int round = 1; round <= 2; round++) {
            assertTrue(md.matches("(?s).*\\n\\| " + round + " \\| ([0-9.]+%|n/a) \\| ([0-9.]+%|n/a) \\| .* \\| "
                    + "[0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\|\\n.*"), md);
            assertTrue(r.out().contains("round " + round + ": filter precision"), r.out());
        }
        assertTrue(md.contains("](round-2/itm_histogram.png)"), md);

        // a run stopped during round 2's CapFilt: a part and the dataset missing; the rerun skips every finished
        // stage and recomputes only that part, to the same dataset
        byte[] before = Files.readAllBytes(out.resolve("round-2/bootstrapped.json"));
        Files.delete(out.resolve("round-2/parts/part-00000.jsonl"));
        Files.delete(out.resolve("round-2/bootstrapped.json"));
        var again = CliRunner.run("bootstrap", "--quick", "--rounds", "2", "--out", out.toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("already done: " + out.resolve("round-2").resolve("filter")), again.err());
        assertEquals(new String(before), Files.readString(out.resolve("round-2/bootstrapped.json")));
    }
}
