package org.blip4j.capfilt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.task.Blip;
import org.blip4j.testutil.Fixtures;
import org.blip4j.util.MemoryStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native memory stays flat while records stream through CapFilt: the resident set after the last of 40 parts is
 * within 48 MiB of the one after part 10 (the 100k-record benchmark grows 9 MiB from part 11 to part 100).
 */
class CapfiltFlatMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void residentSetStaysFlatAcrossParts() throws IOException {
        CapfiltFixture fx = new CapfiltFixture(tmp.resolve("in"));
        fx.writeCyclingWeb(2400);
        CapfiltConfig c = fx.config(tmp.resolve("out")).withShardSize(60);
        List<Double> rss = new ArrayList<>();
        try (Blip blip = Blip.load(Fixtures.tinyAModel().toString())) {
            CapfiltReport r = new CapfiltPipeline(c, CapfiltOptions.defaults().withBatchSize(16)).run(
                    () -> new CapfiltModels(blip, blip), new CapfiltPipeline.Listener() {
                        @Override
                        public void partWritten(int part) {
                            rss.add(MemoryStats.rssMiB());
                        }
                    });
            assertEquals(2400, r.webRecords());
        }
        assertEquals(40, rss.size());
        double growth = rss.get(39) - rss.get(9);
        assertTrue(growth < 48, "RSS grew " + growth + " MiB from part 10 to part 40: " + rss);
    }
}
