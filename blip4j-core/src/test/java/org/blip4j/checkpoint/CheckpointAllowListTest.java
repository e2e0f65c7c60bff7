package org.blip4j.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .pth} pickles are untrusted: only the torch rebuild functions, storages, OrderedDict and plain containers
 * may be named. Pickle bytes are written by hand (opcodes as in CPython's {@code Lib/pickletools.py}).
 */
class CheckpointAllowListTest {
    @TempDir
    Path dir;

    /** {@code os.system('echo pwned')} with GLOBAL + REDUCE (protocol 2, what torch.save writes). */
    static byte[] osSystemProtocol2() {
        return bytes(0x80, 2, 'c', "os\nsystem\n", 'X', le4(11), "echo pwned", 0x85, 'R', '.');
    }

    /** The same call with STACK_GLOBAL (protocol 4). */
    static byte[] osSystemProtocol4() {
        return bytes(0x80, 4, 0x8c, 2, "os", 0x8c, 6, "system", 0x93, 0x8c, 10, "echo pwned", 0x85, 'R', '.');
    }

    /** {@code {'model': <builtins.eval>}}: a non-allowed global never called is still refused. */
    static byte[] evalInADict() {
        return bytes(0x80, 2, '}', 'X', le4(5), "model", 'c', "builtins\neval\n", 's', '.');
    }

    /** INST builds an instance of a class named inline. */
    static byte[] inst() {
        return bytes('(', 'S', "'echo pwned'\n", 'i', "os\nsystem\n", '.');
    }

    /** A BINUNICODE8 announcing 2^40 bytes in a pickle of a few bytes. */
    static byte[] hugeString() {
        return bytes(0x80, 4, 0x8d, le8(1L << 40), "x", '.');
    }

    @Test
    void zipCheckpointNamingOsSystemIsRefusedNamingIt() throws IOException {
        for (byte[] pickle : new byte[][] {osSystemProtocol2(), osSystemProtocol4()}) {
            IOException e = assertThrows(IOException.class, () -> TorchCheckpointReader.readStateDict(zip(pickle)));
            assertRefusedNaming(e, "os", "system");
        }
        IOException e = assertThrows(IOException.class, () -> TorchCheckpointReader.readStateDict(zip(evalInADict())));
        assertRefusedNaming(e, "builtins", "eval");
        e = assertThrows(IOException.class, () -> TorchCheckpointReader.topLevelKeys(zip(osSystemProtocol2())));
        assertRefusedNaming(e, "os", "system");
    }

    @Test
    void legacyCheckpointNamingOsSystemIsRefusedNamingIt() throws IOException {
        Path legacy = dir.resolve("legacy.pth");
        try (OutputStream out = Files.newOutputStream(legacy)) {
            out.write(legacyPreamble());
            out.write(osSystemProtocol2());
        }
        IOException e = assertThrows(IOException.class, () -> TorchCheckpointReader.readStateDict(legacy));
        assertRefusedNaming(e, "os", "system");
    }

    @Test
    void instOpcodeIsRefusedNamingTheClass() throws IOException {
        IOException e = assertThrows(IOException.class, () -> TorchCheckpointReader.readStateDict(zip(inst())));
        assertRefusedNaming(e, "os", "system");
    }

    @Test
    void aLengthBeyondThePickleIsRefusedWithoutAllocatingIt() {
        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(IOException.class, () -> TorchCheckpointReader.readStateDict(zip(hugeString()))));
        assertTrue(e.getMessage().contains(String.valueOf(1L << 40)), e.getMessage());
    }

    @Test
    void aDeeplyNestedKeyIsAnErrorNotAStackOverflow() {
        // {[[[...200000 levels...]]]: 1}: hashing or printing the key recurses once per level
        int depth = 200_000;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(0x80, 2, '}'));
        for (int i = 0; i < depth; i++) {
            out.write(']');
        }
        for (int i = 1; i < depth; i++) {
            out.write('a');
        }
        out.writeBytes(bytes('K', 1, 's', '.'));
        IOException e = assertThrows(IOException.class, () -> TorchCheckpointReader.readStateDict(zip(out.toByteArray())));
        assertTrue(e.getMessage().contains("nested too deeply"), e.getMessage());
    }

    @Test
    void allowedGlobalsStillBuildAStateDict() throws IOException {
        // OrderedDict([('w', _rebuild_tensor_v2(<storage '0' FloatStorage 2>, 0, (2,), (1,), False, OrderedDict()))])
        byte[] pickle = bytes(0x80, 2, 'c', "collections\nOrderedDict\n", ')', 'R',
                'X', le4(1), "w",
                'c', "torch._utils\n_rebuild_tensor_v2\n",
                '(', '(', 'X', le4(7), "storage", 'c', "torch\nFloatStorage\n", 'X', le4(1), "0", 'X', le4(3), "cpu",
                'K', 2, 't', 'Q',
                'K', 0, 'K', 2, 0x85, 'K', 1, 0x85, 0x89, 'c', "collections\nOrderedDict\n", ')', 'R', 't', 'R',
                's', '.');
        Path file = dir.resolve("ok.pth");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            put(z, "archive/data.pkl", pickle);
            put(z, "archive/data/0", new byte[] {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40}); // 1.0f, 2.0f
        }
        Map<String, RawTensor> sd = TorchCheckpointReader.readStateDict(file);
        assertEquals(1, sd.size());
        assertEquals(1.0f, sd.get("w").toFloats()[0]);
        assertEquals(2.0f, sd.get("w").toFloats()[1]);
    }

    private static void assertRefusedNaming(IOException e, String module, String name) {
        String m = e.getMessage();
        assertTrue(m.contains("refusing") && m.contains(module + "." + name) && m.contains("module '" + module + "'")
                && m.contains("name '" + name + "'"), m);
    }

    /** torch/serialization.py legacy preamble: magic number, protocol version 1001, sys info {}. */
    static byte[] legacyPreamble() {
        byte[] magic = new java.math.BigInteger("1950a86a20f9469cfc6c", 16).toByteArray();
        byte[] le = new byte[magic.length];
        for (int i = 0; i < magic.length; i++) {
            le[i] = magic[magic.length - 1 - i];
        }
        return bytes(0x80, 2, 0x8a, le.length, le, '.', 0x80, 2, 'M', 0xe9, 0x03, '.', 0x80, 2, '}', '.');
    }

    private Path zip(byte[] pickle) throws IOException {
        Path file = Files.createTempFile(dir, "ckpt", ".pth");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            put(z, "archive/data.pkl", pickle);
        }
        return file;
    }

    private static void put(ZipOutputStream z, String name, byte[] data) throws IOException {
        z.putNextEntry(new ZipEntry(name));
        z.write(data);
        z.closeEntry();
    }

    static byte[] le4(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    static byte[] le8(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >> (8 * i));
        }
        return b;
    }

    /** Concatenates ints (one byte each), chars, strings (ASCII) and byte arrays. */
    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof Integer i) {
                out.write(i);
            } else if (p instanceof Character c) {
                out.write(c);
            } else if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.writeBytes((byte[]) p);
            }
        }
        return out.toByteArray();
    }
}
