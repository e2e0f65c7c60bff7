package org.blip4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tar shards built to attack the reader: traversal names, links, devices, a 10 GB sparse member (GNU and PAX
 * forms, a few blocks on disk), oversized members, truncation. Headers are written by hand here, byte by byte,
 * because no tar writer would produce most of them.
 */
class HostileShardTest {
    private static final long TEN_GB = 10L << 30;

    @TempDir
    Path dir;

    @Test
    void unsafeLinkDeviceAndSparseMembersAreSkippedAndCounted() throws IOException {
        byte[] png = TestImages.encode("png", 8, 8, 1);
        RawTar t = new RawTar();
        t.file("000.png", png).file("000.txt", bytes("good one"));
        t.file("../evil.png", png).file("../evil.txt", bytes("escapes"));
        t.file("/etc/abs.png", png).file("/etc/abs.txt", bytes("absolute"));
        t.file("a/../../b.png", png);
        t.entry("001.png", '2', new byte[0], "/etc/passwd").file("001.txt", bytes("symlink image"));
        t.entry("002.png", '1', new byte[0], "000.png").file("002.txt", bytes("hard link image"));
        t.entry("003.png", '3', new byte[0], "").entry("004.png", '6', new byte[0], "");
        t.gnuSparse("005.png", TEN_GB, png).file("005.txt", bytes("sparse gnu"));
        t.pax("path=./GNUSparseFile.0/006.png", "GNU.sparse.major=1", "GNU.sparse.minor=0",
                "GNU.sparse.name=006.png", "GNU.sparse.realsize=" + TEN_GB).file("./GNUSparseFile.0/006.png", png);
        t.file("007.png", png).file("007.txt", bytes("good two"));
        Path shard = t.end().write(dir.resolve("hostile.tar"));
        assertTrue(Files.size(shard) < 64 * 1024, "the 10 GB member takes a few blocks on disk");

        List<ShardReport> reports = new ArrayList<>();
        List<ShardSample> samples = WebDatasetReader.create().onShard(reports::add).readSamples(shard);

        assertEquals(List.of("000", "007"), samples.stream().map(ShardSample::key).toList());
        ShardReport r = reports.get(0);
        assertEquals(5, r.skipped(MemberSkip.UNSAFE_NAME), r.toString());
        assertEquals(2, r.skipped(MemberSkip.LINK), r.toString());
        assertEquals(2, r.skipped(MemberSkip.SPECIAL_FILE), r.toString());
        assertEquals(2, r.skipped(MemberSkip.SPARSE), r.toString());
        assertEquals(0, r.skipped(MemberSkip.TRUNCATED));
        assertFalse(r.clean());
        // the texts whose images were refused are keys without an image: counted, not used
        assertEquals(3, r.withoutImage(), r.toString()); // 001, 002, 005
        for (ShardSample s : samples) {
            assertEquals(png.length, s.image().length());
            assertEquals(8, s.image().load().width());
        }
    }

    @Test
    void oversizedMembersAreSkippedWithTheirSize() throws IOException {
        byte[] big = TestImages.encode("png", 64, 64, 2);
        RawTar t = new RawTar().file("a.png", big).file("a.txt", bytes("big"))
                .file("b.png", TestImages.encode("png", 4, 4, 3)).file("b.txt", bytes("small"))
                .file("c.png", TestImages.encode("png", 4, 4, 4)).file("c.txt", new byte[(1 << 20) + 1]);
        Path shard = t.end().write(dir.resolve("big.tar"));
        List<ShardReport> reports = new ArrayList<>();
        List<ShardSample> samples = WebDatasetReader.create().maxMemberBytes(big.length - 1).onShard(reports::add)
                .readSamples(shard);
        assertEquals(List.of("b"), samples.stream().map(ShardSample::key).toList());
        assertEquals(2, reports.get(0).skipped(MemberSkip.TOO_LARGE));
        assertTrue(reports.get(0).examples().stream().anyMatch(e -> e.contains("a.png (" + big.length + " bytes)")),
                reports.get(0).examples().toString());
    }

    @Test
    void aTruncatedShardYieldsWhatPrecedesTheCut() throws IOException {
        byte[] png = TestImages.encode("png", 8, 8, 5);
        RawTar t = new RawTar().file("a.png", png).file("a.txt", bytes("first"))
                .file("b.png", png).file("b.txt", bytes("second"));
        byte[] whole = t.end().bytes();
        int cut = 512 + pad(png.length) + 512 + 512 + 512 + 100; // inside b.png's data
        Path shard = Files.write(dir.resolve("cut.tar"), Arrays.copyOf(whole, cut));
        List<ShardReport> reports = new ArrayList<>();
        List<ShardSample> samples = WebDatasetReader.create().onShard(reports::add).readSamples(shard);
        assertEquals(List.of("a"), samples.stream().map(ShardSample::key).toList());
        assertEquals(1, reports.get(0).skipped(MemberSkip.TRUNCATED));

        // a header whose size field announces 10 GB in a small file: the extent is checked, nothing is allocated
        byte[] liar = new RawTar().file("a.png", png).file("a.txt", bytes("first")).header("z.png", '0', TEN_GB, "")
                .end().bytes();
        Path lying = Files.write(dir.resolve("liar.tar"), liar);
        reports.clear();
        assertEquals(1, WebDatasetReader.create().onShard(reports::add).readSamples(lying).size());
        assertEquals(1, reports.get(0).skipped(MemberSkip.TRUNCATED));
    }

    @Test
    void garbageIsNotATar() throws IOException {
        byte[] noise = new byte[4096];
        new java.util.Random(7).nextBytes(noise);
        Path f = Files.write(dir.resolve("noise.tar"), noise);
        IOException e = assertThrows(IOException.class, () -> WebDatasetReader.create().readSamples(f));
        assertTrue(e.getMessage().contains("noise.tar: not an uncompressed tar"), e.getMessage());
    }

    @Test
    void namesAreCheckedSegmentBySegment() {
        assertTrue(TarIndex.safeName("a/b..c/d.jpg"));
        assertTrue(TarIndex.safeName("./000.jpg"));
        assertFalse(TarIndex.safeName("a/../b.jpg"));
        assertFalse(TarIndex.safeName(".."));
        assertFalse(TarIndex.safeName("/abs.jpg"));
        assertFalse(TarIndex.safeName("C:evil.jpg"));
        assertFalse(TarIndex.safeName("a\\..\\b.jpg"));
        assertFalse(TarIndex.safeName("a\nb.jpg"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int pad(int n) {
        return (n + 511) / 512 * 512;
    }

    /** A tar written header by header (ustar magic; GNU magic for the old sparse form). */
    private static final class RawTar {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        RawTar file(String name, byte[] data) {
            return entry(name, '0', data, "");
        }

        RawTar entry(String name, char type, byte[] data, String link) {
            header(name, type, data.length, link);
            return data(data);
        }

        RawTar header(String name, char type, long size, String link) {
            byte[] h = new byte[512];
            put(h, 0, name);
            put(h, 100, "0000644");
            put(h, 124, String.format("%011o", size));
            put(h, 136, "00000000000");
            h[156] = (byte) type;
            put(h, 157, link);
            put(h, 257, "ustar");
            put(h, 263, "00");
            checksum(h);
            out.writeBytes(h);
            return this;
        }

        /** GNU's old sparse form: type 'S', one map entry, the real size at byte 483. */
        RawTar gnuSparse(String name, long realSize, byte[] stored) {
            byte[] h = new byte[512];
            put(h, 0, name);
            put(h, 100, "0000644");
            put(h, 124, String.format("%011o", stored.length));
            put(h, 136, "00000000000");
            h[156] = 'S';
            byte[] magic = "ustar  ".getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(magic, 0, h, 257, magic.length);
            put(h, 386, String.format("%011o", realSize - stored.length)); // sparse map: offset
            put(h, 398, String.format("%011o", stored.length)); // ... numbytes
            put(h, 483, String.format("%011o", realSize));
            checksum(h);
            out.writeBytes(h);
            return data(stored);
        }

        RawTar pax(String... records) {
            StringBuilder b = new StringBuilder();
            for (String r : records) {
                int len = r.length() + 3;
                String line = len + " " + r + "\n";
                while (line.length() != len) {
                    len = line.length();
                    line = len + " " + r + "\n";
                }
                b.append(line);
            }
            return entry("PaxHeaders/x", 'x', HostileShardTest.bytes(b.toString()), "");
        }

        RawTar end() {
            out.writeBytes(new byte[1024]);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        Path write(Path f) throws IOException {
            return Files.write(f, bytes());
        }

        private RawTar data(byte[] d) {
            out.writeBytes(d);
            out.writeBytes(new byte[pad(d.length) - d.length]);
            return this;
        }

        private static void put(byte[] h, int off, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, h, off, b.length);
        }

        private static void checksum(byte[] h) {
            Arrays.fill(h, 148, 156, (byte) ' ');
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
        }
    }
}
