package org.blip4j.checkpoint;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Fuzz targets for the checkpoint readers: a safetensors file, the pickle of a zip {@code .pth} and a whole legacy
 * {@code .pth}. Hostile bytes may only end in an {@link IOException} naming the file; anything else (a runtime
 * exception, an error, a hang) is a finding. {@code mvn test} replays the committed inputs under
 * {@code src/test/resources/org/blip4j/checkpoint/CheckpointFuzzTestInputs/<method>/}; {@code JAZZER_FUZZ=1}
 * fuzzes one method (see docs/SECURITY.md).
 */
class CheckpointFuzzTest {
    private static final Path DIR = tempDir();

    private static Path tempDir() {
        try {
            Path d = Files.createTempDirectory("blip4j-fuzz-checkpoint");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(String name, byte[] data) throws IOException {
        return Files.write(DIR.resolve(name), data);
    }

    @FuzzTest(maxDuration = "4m")
    void safetensorsFile(byte[] data) throws IOException {
        Path file = write("fuzz.safetensors", data);
        try {
            Safetensors.read(file).values().forEach(t -> t.data().remaining());
        } catch (IOException expected) {
            // refused with a message: the wanted outcome for bad input
        }
    }

    /** The fuzz input is {@code archive/data.pkl}; a fixed 64-byte storage "0" sits beside it. */
    @FuzzTest(maxDuration = "4m")
    void pthZipPickle(byte[] pickle) throws IOException {
        Path file = DIR.resolve("fuzz.pth");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(pickle);
            z.closeEntry();
            z.putNextEntry(new ZipEntry("archive/data/0"));
            z.write(new byte[64]);
            z.closeEntry();
        }
        try {
            TorchCheckpointReader.readStateDict(file).values().forEach(RawTensor::toFloats);
        } catch (IOException expected) {
            // refused with a message
        }
    }

    /** The fuzz input is a whole legacy (torch < 1.6) checkpoint file. */
    @FuzzTest(maxDuration = "4m")
    void pthLegacyFile(byte[] data) throws IOException {
        if (data.length >= 2 && data[0] == 'P' && data[1] == 'K') {
            return; // zip files are pthZipPickle's job
        }
        Path file = write("fuzz-legacy.pth", data);
        try {
            TorchCheckpointReader.readStateDict(file).values().forEach(RawTensor::toFloats);
        } catch (IOException expected) {
            // refused with a message
        }
    }
}
