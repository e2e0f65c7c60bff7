package org.blip4j.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Safetensors files are untrusted: the header is bounded and every tensor range checked before use. */
class SafetensorsHeaderTest {
    @TempDir
    Path dir;

    private Path file(long headerLen, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLen).put(h);
        return Files.write(Files.createTempFile(dir, "t", ".safetensors"), b.array());
    }

    private Path file(String header, int dataBytes) throws IOException {
        return file(header.getBytes(StandardCharsets.UTF_8).length, header, dataBytes);
    }

    private String refusal(Path p) {
        return assertThrows(IOException.class, () -> Safetensors.read(p)).getMessage();
    }

    @Test
    void aTerabyteHeaderLengthIsRefusedAtOnceWithoutAllocating() throws IOException {
        Path p = file(1L << 40, "{}", 0);
        String m = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refusal(p));
        assertTrue(m.contains("header length 1099511627776"), m);
        assertTrue(refusal(file(1000, "{}", 0)).contains("within the file's"), "longer than the file");
        assertTrue(refusal(file(-3, "{}", 0)).contains("header length -3"));
    }

    @Test
    void tensorRangesMustBeInsideNonOverlappingAndMatchDtypeTimesShape() throws IOException {
        String outside = refusal(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4));
        assertTrue(outside.contains("'a'") && outside.contains("outside the data area"), outside);

        String overlap = refusal(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12));
        assertTrue(overlap.contains("'a'") && overlap.contains("'b'") && overlap.contains("overlap"), overlap);

        String size = refusal(file("{\"a\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8));
        assertTrue(size.contains("needs 6"), size);

        String negative = refusal(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2,-2],\"data_offsets\":[0,16]}}", 16));
        assertTrue(negative.contains("non-negative"), negative);

        String huge = refusal(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],"
                + "\"data_offsets\":[0,0]}}", 0));
        assertTrue(huge.contains("too large"), huge);

        String missing = refusal(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4));
        assertTrue(missing.contains("data_offsets"), missing);

        String dtype = refusal(file("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1));
        assertTrue(dtype.contains("F8_E4M3"), dtype);
    }

    @Test
    void deeplyNestedOrDuplicatedHeadersAreRefused() throws IOException {
        String deep = "{\"__metadata__\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertTrue(refusal(file(deep, 0)).contains("corrupt safetensors header"));
        String dup = "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                + "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[1,2]}}";
        assertTrue(refusal(file(dup, 2)).contains("Duplicate"), "a repeated tensor name is refused");
    }

    @Test
    void aValidFileStillReads() throws IOException {
        Map<String, RawTensor> t = Safetensors.read(file("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[2,4]},"
                + "\"a\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[4,4]}}", 4));
        assertEquals(3, t.size());
        assertEquals(2, t.get("b").shape()[0]);
    }
}
