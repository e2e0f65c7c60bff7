package org.blip4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The member headers of an uncompressed tar (ustar, GNU and PAX forms), read without trusting them: every header
 * is checksummed, every size bounds-checked against the file, and a member's data is never read here. Links,
 * devices, sparse members and unsafe names are listed with the reason they must not be used, so the caller can
 * count them. Parsing stops at the end-of-archive block or at the first header that does not check out (the rest
 * of the shard is then reported as {@link MemberSkip#TRUNCATED}).
 *
 * <p>Written here rather than with commons-compress's {@code TarFile}, which rejects a whole archive that holds one
 * sparse member, and silently returns the members before a truncation.
 */
final class TarIndex {
    static final int BLOCK = 512;
    /** PAX and GNU long-name headers hold a name or a few key=value records, never more. */
    private static final int MAX_META_BYTES = 1 << 20;

    /**
     * One member.
     *
     * @param name the member's path as stored (validated only when {@code skip} is null)
     * @param offset where its data starts in the file
     * @param size bytes of data stored in the archive
     * @param skip why it must not be used; null for a usable regular file
     */
    record Member(String name, long offset, long size, MemberSkip skip) {
    }

    /**
     * @param members in archive order
     * @param truncated null, or why parsing stopped before the end-of-archive block
     * @param validHeaders headers that checked out (0 with a non-null {@code truncated}: not a tar at all)
     */
    record Listing(List<Member> members, String truncated, int validHeaders) {
    }

    private TarIndex() {
    }

    static Listing read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            return new Scan(ch).run();
        }
    }

    private static final class Scan {
        final FileChannel ch;
        final long length;
        final List<Member> members = new ArrayList<>();
        int valid;
        String paxPath;
        Long paxSize;
        boolean paxSparse;
        String gnuLongName;

        Scan(FileChannel ch) throws IOException {
            this.ch = ch;
            this.length = ch.size();
        }

        Listing run() throws IOException {
            long pos = 0;
            byte[] h = new byte[BLOCK];
            while (true) {
                if (pos + BLOCK > length) {
                    // a tar that ends right after a member without end-of-archive blocks lost nothing
                    return stop(pos == length ? null : "the file ends inside a header at byte " + pos);
                }
                readFully(h, pos);
                if (allZero(h)) {
                    return new Listing(members, null, valid);
                }
                if (!checksumOk(h)) {
                    return stop("bad header checksum at byte " + pos);
                }
                long size;
                try {
                    size = number(h, 124, 12);
                } catch (IllegalArgumentException e) {
                    return stop("bad size field at byte " + pos + ": " + e.getMessage());
                }
                valid++;
                char type = (char) h[156];
                boolean meta = type == 'x' || type == 'g' || type == 'L' || type == 'K';
                if (!meta && paxSize != null) {
                    size = paxSize; // PAX carries sizes the 12-byte field cannot hold
                }
                long data = pos + BLOCK;
                long next = data + padded(size);
                if (size < 0 || next < data || data + size > length) {
                    return stop("member at byte " + pos + " announces " + size + " bytes; the file ends first");
                }
                switch (type) {
                    case 'x' -> pax(data, size);
                    case 'g' -> { } // global PAX defaults: nothing blip4j uses
                    case 'L' -> gnuLongName = cString(readMeta(data, size), 0, (int) Math.min(size, MAX_META_BYTES));
                    case 'K' -> { } // long link target: links are never followed anyway
                    default -> member(h, type, data, size);
                }
                pos = next;
            }
        }

        private void member(byte[] h, char type, long data, long size) {
            String name = paxPath != null ? paxPath : gnuLongName != null ? gnuLongName : headerName(h);
            MemberSkip skip = switch (type) {
                case '0', '\0', '7' -> paxSparse ? MemberSkip.SPARSE : null;
                case '1', '2' -> MemberSkip.LINK;
                case 'S' -> MemberSkip.SPARSE;
                case '5' -> MemberSkip.SPECIAL_FILE; // directory: not a sample member
                default -> MemberSkip.SPECIAL_FILE;
            };
            if (skip == null && !safeName(name)) {
                skip = MemberSkip.UNSAFE_NAME;
            }
            if (type != '5') {
                members.add(new Member(name, data, size, skip));
            }
            paxPath = null;
            paxSize = null;
            paxSparse = false;
            gnuLongName = null;
        }

        /** PAX records: {@code "LEN key=value\n"}; only path, size and the GNU sparse markers matter here. */
        private void pax(long data, long size) throws IOException {
            byte[] b = readMeta(data, size);
            int i = 0;
            while (i < b.length) {
                int sp = i;
                while (sp < b.length && b[sp] != ' ') {
                    sp++;
                }
                int len;
                try {
                    len = Integer.parseInt(new String(b, i, sp - i, StandardCharsets.US_ASCII));
                } catch (NumberFormatException e) {
                    return;
                }
                if (len <= 0 || i + len > b.length || sp >= i + len) {
                    return;
                }
                String rec = new String(b, sp + 1, i + len - sp - 1, StandardCharsets.UTF_8);
                int eq = rec.indexOf('=');
                if (eq > 0) {
                    String key = rec.substring(0, eq);
                    String value = rec.substring(eq + 1).replaceFirst("\n$", "");
                    if (key.equals("path")) {
                        paxPath = value;
                    } else if (key.equals("size")) {
                        try {
                            paxSize = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            paxSize = -1L; // stops the scan: the member's extent is unknown
                        }
                    } else if (key.startsWith("GNU.sparse.")) {
                        paxSparse = true;
                    }
                }
                i += len;
            }
        }

        private byte[] readMeta(long data, long size) throws IOException {
            byte[] b = new byte[(int) Math.min(size, MAX_META_BYTES)];
            readFully(b, data);
            return b;
        }

        private Listing stop(String why) {
            return new Listing(members, why, valid);
        }

        private void readFully(byte[] b, long at) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b);
            while (buf.hasRemaining()) {
                if (ch.read(buf, at + buf.position()) < 0) {
                    throw new java.io.EOFException("tar ends inside a header at byte " + at);
                }
            }
        }
    }

    /** ustar joins {@code prefix/name}; the GNU format (magic {@code "ustar  "}) has no prefix field. */
    private static String headerName(byte[] h) {
        String name = cString(h, 0, 100);
        boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r'
                && h[262] == 0;
        if (ustar) {
            String prefix = cString(h, 345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    /**
     * A name that can be a sample member: relative, no {@code ..} segment, no backslash or control character.
     * A leading {@code ./} (tar of a directory) is fine.
     */
    static boolean safeName(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.indexOf('\\') >= 0 || name.length() > 4096) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < 0x20 || name.charAt(i) == 0x7f) {
                return false;
            }
        }
        if (name.length() > 1 && name.charAt(1) == ':') {
            return false; // a Windows drive
        }
        for (String seg : name.split("/", -1)) {
            if (seg.equals("..")) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** Octal (NUL/space terminated) or GNU base-256 (high bit of the first byte set). */
    static long number(byte[] b, int off, int len) {
        if ((b[off] & 0x80) != 0) {
            if ((b[off] & 0x40) != 0) {
                throw new IllegalArgumentException("negative base-256 number");
            }
            long v = b[off] & 0x3f;
            for (int i = 1; i < len; i++) {
                if ((v >>> 55) != 0) {
                    throw new IllegalArgumentException("base-256 number overflows");
                }
                v = (v << 8) | (b[off + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = off;
        int end = off + len;
        while (i < end && (b[i] == ' ' || b[i] == 0)) {
            i++;
            if (i == end) {
                return 0;
            }
        }
        for (; i < end && b[i] != 0 && b[i] != ' '; i++) {
            if (b[i] < '0' || b[i] > '7') {
                throw new IllegalArgumentException("not an octal digit: " + (b[i] & 0xff));
            }
            if ((v >>> 60) != 0) {
                throw new IllegalArgumentException("octal number overflows");
            }
            v = v * 8 + (b[i] - '0');
        }
        return v;
    }

    private static boolean checksumOk(byte[] h) {
        long stored;
        try {
            stored = number(h, 148, 8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : h[i];
            unsigned += b & 0xff;
            signed += (byte) b;
        }
        return stored == unsigned || stored == signed; // some old tars summed signed bytes
    }

    private static boolean allZero(byte[] h) {
        for (byte b : h) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }
}
