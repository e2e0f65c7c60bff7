package org.blip4j.capfilt;

import java.nio.file.Path;
import org.blip4j.engine.Engines;
import org.blip4j.task.Blip;
import org.blip4j.testutil.Fixtures;
import org.blip4j.util.MemoryStats;

/**
 * Child-process body of {@link CapfiltFlatMemoryTest}: CapFilt over {@code records} cycling tiny-a records in parts
 * of {@code shard}, printing {@code RSS <part> <MiB>} after each part. Run in its own JVM with a small heap, so the
 * resident set measures native memory rather than the test JVM's heap history.
 */
final class CapfiltMemoryProbe {
    private CapfiltMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int records = Integer.parseInt(args[1]);
        int shard = Integer.parseInt(args[2]);
        Engines.configure(1);
        CapfiltFixture fx = new CapfiltFixture(dir.resolve("in"));
        fx.writeCyclingWeb(records);
        CapfiltConfig c = fx.config(dir.resolve("out")).withShardSize(shard);
        try (Blip blip = Blip.load(Fixtures.tinyAModel().toString())) {
            CapfiltReport r = new CapfiltPipeline(c, CapfiltOptions.defaults().withBatchSize(16)).run(
                    () -> new CapfiltModels(blip, blip), new CapfiltPipeline.Listener() {
                        @Override
                        public void partWritten(int part) {
                            System.out.printf(java.util.Locale.ROOT, "RSS %d %.1f%n", part, MemoryStats.rssMiB());
                        }
                    });
            System.out.println("RECORDS " + r.webRecords());
        }
    }
}
