package org.blip4j.checkpoint;

import static org.blip4j.checkpoint.TensorAsserts.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.Map;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.Test;

/** Against {@code F.interpolate(mode='bicubic', align_corners=False)} outputs of torch 1.13 (fixture). */
class PositionEmbeddingInterpolatorTest {
    private static Map<String, RawTensor> ref() throws IOException {
        return Safetensors.read(Fixtures.resource("checkpoint/pos_embed_bicubic.safetensors"));
    }

    @Test
    void matchesPyTorchUpAndDown() throws IOException {
        Map<String, RawTensor> ref = ref();
        RawTensor in = ref.get("input_4x4");
        for (int g : new int[] {6, 3, 9}) {
            RawTensor out = PositionEmbeddingInterpolator.interpolate(in, g);
            assertArrayEquals(new long[] {1, 1 + g * g, 8}, out.shape());
            assertClose(ref.get("output_" + g + "x" + g), out, 1e-6, g + "x" + g);
        }
        assertClose(ref.get("output_24_to_7x7"),
                PositionEmbeddingInterpolator.interpolate(ref.get("input_24x24"), 7), 1e-6, "24->7");
    }

    @Test
    void sameGridIsIdentityAndClsRowIsKept() throws IOException {
        RawTensor in = ref().get("input_4x4");
        assertSame(in, PositionEmbeddingInterpolator.interpolate(in, 4));
        RawTensor out = PositionEmbeddingInterpolator.interpolate(in, 6);
        float[] a = in.toFloats();
        float[] b = out.toFloats();
        for (int c = 0; c < 8; c++) {
            assertArrayEquals(new float[] {a[c]}, new float[] {b[c]});
        }
    }

    @Test
    void rejectsNonSquareGrids() {
        RawTensor bad = RawTensor.ofFloats(new float[1 * 6 * 2], 1, 6, 2);
        assertThrows(IllegalArgumentException.class, () -> PositionEmbeddingInterpolator.interpolate(bad, 3));
    }
}
