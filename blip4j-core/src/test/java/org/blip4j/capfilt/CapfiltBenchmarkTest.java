package org.blip4j.capfilt;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.blip4j.engine.Engines;
import org.blip4j.task.Blip;
import org.blip4j.testutil.Fixtures;
import org.blip4j.util.MemoryStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in throughput and memory benchmark of the whole pipeline on tiny-a (N records cycling its 4 images):
 * {@code mvn -q -B test -pl blip4j-core -Dtest=CapfiltBenchmarkTest -Dcapfilt.bench.records=100000
 * [-Dcapfilt.bench.threads=1] [-Dcapfilt.bench.batch=16] [-Dcapfilt.bench.shard=1000]}. Prints images/s, the
 * resident set after the first tenth of the parts and after the last (flat native memory), and the heap in use at
 * the end (the surefire heap is fixed by the pom; for a small-heap run use the CLI with
 * {@code java -Xmx256m}, see the CapFilt notes in the report).
 */
@EnabledIfSystemProperty(named = "capfilt.bench.records", matches = "\\d+")
class CapfiltBenchmarkTest {
    @TempDir
    Path tmp;

    @Test
    void throughput() throws IOException {
        int n = Integer.getInteger("capfilt.bench.records");
        Engines.configure(Integer.getInteger("capfilt.bench.threads", 1));
        CapfiltFixture fx = new CapfiltFixture(tmp.resolve("in"));
        fx.writeCyclingWeb(n);
        CapfiltConfig c = fx.config(tmp.resolve("out")).withShardSize(Integer.getInteger("capfilt.bench.shard", 1000));
        CapfiltOptions o = CapfiltOptions.defaults().withBatchSize(Integer.getInteger("capfilt.bench.batch", 16));
        try (Blip blip = Blip.load(Fixtures.tinyAModel().toString())) {
            long t0 = System.nanoTime();
            long[] assembleAt = new long[1];
            List<Double> rss = new ArrayList<>();
            CapfiltReport r = new CapfiltPipeline(c, o).run(() -> new CapfiltModels(blip, blip),
                    new CapfiltPipeline.Listener() {
                        @Override
                        public void partWritten(int part) {
                            rss.add(MemoryStats.rssMiB());
                        }

                        @Override
                        public void assembling() {
                            assembleAt[0] = System.nanoTime();
                        }
                    });
            long t1 = System.nanoTime();
            double secs = (assembleAt[0] - t0) / 1e9;
            System.out.printf(Locale.ROOT, "capfilt benchmark: %d images in %.1f s = %.1f images/s (assembly %.1f s, "
                    + "%d kept pairs, %.1f MB bootstrapped.json), heap used %d MB of max %d MB%n", n, secs, n / secs,
                    (t1 - assembleAt[0]) / 1e9, r.web().kept() + r.synthetic().kept() + r.human(),
                    Files.size(c.out().resolve(BootstrapAssembler.OUTPUT)) / 1e6,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20,
                    Runtime.getRuntime().maxMemory() >> 20);
            // native memory: RSS once the first tenth of the parts is done vs after the last part
            System.out.printf(Locale.ROOT, "capfilt benchmark: RSS after part %d: %.0f MiB, after part %d: %.0f MiB, "
                    + "peak %.0f MiB%n", rss.size() / 10 + 1, rss.get(rss.size() / 10), rss.size(),
                    rss.get(rss.size() - 1), MemoryStats.peakRssMiB());
        }
    }
}
