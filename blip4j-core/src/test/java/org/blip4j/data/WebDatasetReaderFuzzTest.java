package org.blip4j.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzz target: the webdataset tar reader on arbitrary bytes, through its public API only
 * ({@code WebDatasetReader.create().readShard}). A hostile shard may only end in an {@link IOException} naming it;
 * every sample it yields must point inside the shard. Inputs:
 * {@code src/test/resources/org/blip4j/data/WebDatasetReaderFuzzTestInputs/tarShard/}.
 */
class WebDatasetReaderFuzzTest {
    private static final Path SHARD = shardPath();

    private static Path shardPath() {
        try {
            Path d = Files.createTempDirectory("blip4j-fuzz-tar");
            d.toFile().deleteOnExit();
            return d.resolve("fuzz-00000.tar");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "4m")
    void tarShard(byte[] data) throws IOException {
        Files.write(SHARD, data);
        List<Sample> samples;
        try {
            samples = WebDatasetReader.create().requireCaption(false).onShard(r -> { }).readShard(SHARD);
        } catch (IOException expected) {
            return; // refused with a message
        }
        for (Sample s : samples) {
            if (s.image() instanceof ImageSource.TarMember m) {
                assertTrue(m.offset() >= 0 && m.length() >= 0 && m.offset() + m.length() <= data.length,
                        "member " + m.member() + " at " + m.offset() + "+" + m.length() + " outside the "
                                + data.length + "-byte shard");
            }
        }
    }
}
