package org.blip4j.capfilt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Native memory stays flat while records stream through CapFilt: in a fresh JVM whose heap is capped at 192 MiB,
 * the resident set after the last of 40 parts is within 48 MiB of the one after part 10 (the 100k-record
 * benchmark grows 9 MiB from part 11 to part 100).
 */
class CapfiltFlatMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void residentSetStaysFlatAcrossParts() throws IOException, InterruptedException {
        // the probe reads VmRSS from /proc/self/status: without it there is nothing to measure, so say so
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "skipped: no /proc/self/status to read RSS from");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                CapfiltMemoryProbe.class.getName(), tmp.toString(), "2400", "60");
        // output to a file, so the timeout bounds the wait (reading the pipe to its end would block on a hung child)
        Path log = tmp.resolve("probe.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = p.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, "probe did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        List<Double> rss = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("RSS ")) {
                rss.add(Double.parseDouble(line.split(" ")[2]));
            }
        }
        assertTrue(out.contains("RECORDS 2400"), out);
        assertEquals(40, rss.size(), out);
        assertTrue(rss.stream().allMatch(m -> m > 0), "the probe could not read its RSS: " + rss);
        double growth = rss.get(39) - rss.get(9);
        assertTrue(growth < 48, "RSS grew " + growth + " MiB from part 10 to part 40: " + rss);
    }
}
