package org.blip4j.capfilt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.generate.GenerationOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembly streams: 20k records (20 parts of 1000, ~1 KB captions: ~20 MB of text) go through it while the
 * heap retained after GC stays flat from part 3 to part 20. A stage that collected the records would grow by
 * ~17 MB over that span.
 */
class CapfiltAssemblyMemoryTest {
    private static final int PARTS = 20;
    private static final int PER_PART = 1000;

    @TempDir
    Path tmp;

    @Test
    void assemblyHeapStaysFlat() throws IOException {
        Path out = tmp.resolve("out");
        String pad = "x".repeat(1000);
        CapfiltRecord.Decoding d = CapfiltRecord.Decoding.of(GenerationOptions.nucleus(0.9, 20, 5, 0), 5);
        long[] retained = new long[PARTS];
        PartStore parts = new PartStore(out) {
            @Override
            void read(int part, Visitor visitor) throws IOException {
                super.read(part, visitor);
                retained[part] = retainedHeap();
            }
        };
        for (int p = 0; p < PARTS; p++) {
            List<CapfiltRecord> recs = new ArrayList<>(PER_PART);
            for (int i = 0; i < PER_PART; i++) {
                int index = p * PER_PART + i;
                boolean synthetic = i % 2 == 1;
                recs.add(new CapfiltRecord("images/" + index + ".jpg", index + " " + pad,
                        synthetic ? CapfiltRecord.Source.SYNTHETIC : CapfiltRecord.Source.WEB, index, 0,
                        (index % 10) / 10.0, 0.3, index % 10 >= 5, synthetic ? d : null));
            }
            parts.write(p, new CapfiltStep.Result(recs, List.of()));
        }
        Path data = tmp.resolve("web.json");
        Files.writeString(data, "[]");
        CapfiltConfig config = new CapfiltConfig("m", "m", data, tmp, null, out, null, PER_PART, false);
        CapfiltStats stats = new CapfiltStats(null);
        new BootstrapAssembler(parts, config, stats).assemble(PARTS, PARTS * PER_PART);

        CapfiltReport r = stats.report();
        assertEquals(PARTS * PER_PART / 2, r.web().total());
        assertEquals(PARTS * PER_PART / 2, r.web().kept() + r.synthetic().kept());
        long lines;
        try (BufferedReader in = Files.newBufferedReader(out.resolve(BootstrapAssembler.OUTPUT))) {
            lines = in.lines().filter(l -> l.startsWith("{")).count();
        }
        assertEquals(PARTS * PER_PART / 2, lines, "one kept record per line");
        long growth = retained[PARTS - 1] - retained[2];
        assertTrue(growth < 6L << 20, "retained heap grew by " + (growth >> 10) + " KiB from part 3 to part 20");
    }

    private static long retainedHeap() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
