package org.blip4j.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two rounds of bootstrapping on a world smaller than {@code --quick}: both rounds' datasets, the per-round report,
 * and a resume that skips the finished stages and recomputes a lost CapFilt part to the same dataset.
 */
class BootstrapRoundsTest {
    @TempDir
    Path tmp;

    private static DemoOptions tiny(Path out) {
        // web, human (x5 captions), test images; 10 pre-training steps, 4 + 4 fine-tuning; batch 4; vision 24 / 5
        return new DemoOptions(out, 42, 24, 12, 5, 8, 0.4, 10, 4, 4, 4, 4, 1, 24, 5);
    }

    @Test
    void twoRoundsWriteBothDatasetsReportBothAndResume() throws Exception {
        org.blip4j.engine.Engines.configure(1);
        Path out = tmp.resolve("boot");
        DemoReport r = Demo.run(tiny(out), 2, DemoListener.NONE);
        assertEquals(2, r.rounds().size());
        for (int round = 1; round <= 2; round++) {
            Path data = out.resolve("round-" + round).resolve("bootstrapped.json");
            assertTrue(Files.size(data) > 100, data.toString());
            BootstrapRound b = r.rounds().get(round - 1);
            assertEquals(round, b.round());
            assertEquals(24, b.filtering().webRecords());
            assertTrue(b.filtering().noise() != null, "the world's noise labels are read");
        }
        assertEquals(r.capfilt(), r.rounds().get(1).scores(), "the last round's model is the CapFilt model");
        assertEquals("CapFilt round 1", r.rounds().get(0).scores().name());
        assertTrue(Files.isRegularFile(out.resolve("round-2/pretrain/model/model.safetensors")));
        assertFalse(Files.exists(out.resolve("capfilt")), "with rounds, CapFilt writes into round-r");
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## Rounds of bootstrapping"), md);
        for (int round = 1; round <= 2; round++) {
            assertTrue(md.matches("(?s).*\\n\\| " + round + " \\| ([0-9.]+%|n/a) \\| ([0-9.]+%|n/a) \\| .* \\| "
                    + "[0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\|\\n.*"), md);
        }
        assertTrue(md.contains("](round-2/itm_histogram.png)"), md);

        // stopped during round 2's CapFilt: its part and dataset missing. The rerun skips every finished stage and
        // recomputes only that part, to the same dataset.
        byte[] before = Files.readAllBytes(out.resolve("round-2/bootstrapped.json"));
        Files.delete(out.resolve("round-2/parts/part-00000.jsonl"));
        Files.delete(out.resolve("round-2/bootstrapped.json"));
        List<String> messages = new ArrayList<>();
        List<String> stages = new ArrayList<>();
        Demo.run(tiny(out), 2, new DemoListener() {
            @Override
            public void message(String message) {
                messages.add(message);
            }

            @Override
            public void stage(int index, int total, String name) {
                stages.add(index + "/" + total + " " + name);
            }
        });
        assertTrue(messages.contains("already done: " + out.resolve("round-2").resolve("pretrain")), messages.toString());
        assertTrue(messages.contains("already done: " + out.resolve("pretrain_capfilt")), messages.toString());
        assertTrue(stages.contains("13/13 report"), stages.toString());
        assertEquals(new String(before), Files.readString(out.resolve("round-2/bootstrapped.json")));
    }
}
