package org.blip4j.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.checkpoint.Safetensors;
import org.blip4j.util.AtomicFiles;

/**
 * Embedding files: an (N, E) float32 matrix as safetensors (tensor {@code embeddings}) or NumPy {@code .npy}, and
 * {@code <file>.index.json} with the id of each row (image path or text). Both written atomically.
 */
public final class EmbeddingFiles {
    private EmbeddingFiles() {
    }

    public static void write(Path out, List<String> ids, float[][] vectors) throws IOException {
        int n = vectors.length;
        int e = n == 0 ? 0 : vectors[0].length;
        float[] flat = new float[n * e];
        for (int i = 0; i < n; i++) {
            System.arraycopy(vectors[i], 0, flat, i * e, e);
        }
        if (out.getFileName().toString().endsWith(".npy")) {
            AtomicFiles.write(out, os -> os.write(npy(flat, n, e)));
        } else {
            Safetensors.write(out, Map.of("embeddings", RawTensor.ofFloats(flat, n, e)),
                    Map.of("format", "blip4j-embeddings", "count", Integer.toString(n)));
        }
        Path index = out.resolveSibling(out.getFileName() + ".index.json");
        AtomicFiles.writeString(index, new ObjectMapper().writeValueAsString(Map.of("ids", ids, "dim", e)));
    }

    /** NPY v1.0: magic, header dict padded to a multiple of 64 bytes, little-endian float32 data. */
    static byte[] npy(float[] data, int rows, int cols) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int headerLen = 10 + dict.length() + 1;
        int pad = (64 - headerLen % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (float f : data) {
            b.putFloat(f);
        }
        return b.array();
    }
}
