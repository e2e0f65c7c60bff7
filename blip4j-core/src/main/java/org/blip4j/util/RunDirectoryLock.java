package org.blip4j.util;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on an output directory ({@code DIR/.lock}), held while a run writes there: a second run on the
 * same directory fails at once instead of interleaving its checkpoints or parts with the first. The operating
 * system drops the lock when the process dies, so a killed run never leaves a stale lock behind.
 */
public final class RunDirectoryLock implements AutoCloseable {
    public static final String FILE = ".lock";

    private final FileChannel channel; // closing it releases the lock

    private RunDirectoryLock(FileChannel channel) {
        this.channel = channel;
    }

    public static RunDirectoryLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // held by this JVM
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            ch.close();
            throw new IOException(dir + " is in use by another run (" + file + " is locked); wait for it to "
                    + "finish or choose another output directory");
        }
        return new RunDirectoryLock(ch);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
