package org.blip4j.util;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryLockTest {
    @TempDir
    Path tmp;

    @Test
    void aSecondRunOnTheSameDirectoryIsRefusedUntilTheFirstEnds() throws IOException {
        Path dir = tmp.resolve("run");
        try (RunDirectoryLock first = RunDirectoryLock.acquire(dir)) {
            IOException e = assertThrows(IOException.class, () -> RunDirectoryLock.acquire(dir));
            assertTrue(e.getMessage().contains("in use by another run") && e.getMessage().contains(dir.toString()),
                    e.getMessage());
        }
        try (RunDirectoryLock again = RunDirectoryLock.acquire(dir)) { // released: acquirable again
            assertTrue(java.nio.file.Files.isRegularFile(dir.resolve(RunDirectoryLock.FILE)));
        }
    }
}
