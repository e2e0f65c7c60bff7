package org.blip4j.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Process memory figures from /proc (Linux): current and peak resident set size. */
public final class MemoryStats {
    private MemoryStats() {
    }

    /** Peak RSS in MiB (VmHWM), or -1 where /proc is not available. */
    public static double peakRssMiB() {
        return field("VmHWM:");
    }

    /** Current RSS in MiB (VmRSS), or -1. */
    public static double rssMiB() {
        return field("VmRSS:");
    }

    private static double field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
