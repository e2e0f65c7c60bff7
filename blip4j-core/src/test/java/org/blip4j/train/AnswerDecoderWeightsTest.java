package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDManager;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.checkpoint.DType;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.engine.Engines;
import org.junit.jupiter.api.Test;

/** A captioning decoder whose cross-attention reads vision width gets fresh key/value weights of text width. */
class AnswerDecoderWeightsTest {
    static RawTensor zeros(long... shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return new RawTensor(DType.F32, shape, ByteBuffer.allocate((int) n * 4));
    }

    @Test
    void onlyMisfittingCrossAttentionKeyValueWeightsAreReplaced() {
        String p = "text_decoder.bert.encoder.layer.0.crossattention.self.";
        Map<String, RawTensor> w = new LinkedHashMap<>();
        w.put(p + "key.weight", zeros(8, 12));
        w.put(p + "value.weight", zeros(8, 12));
        w.put(p + "query.weight", zeros(8, 8));
        w.put(p + "key.bias", zeros(8));
        w.put("text_encoder.encoder.layer.0.crossattention.self.key.weight", zeros(8, 12));
        List<String> misfits = AnswerDecoderWeights.misfits(w, 8);
        assertEquals(List.of(p + "key.weight", p + "value.weight"), misfits);
        assertEquals(List.of(), AnswerDecoderWeights.misfits(w, 12).stream().filter(k -> k.contains("query"))
                .toList());
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            Map<String, RawTensor> fitted = AnswerDecoderWeights.fit(w, misfits, 8, 0.02, 1, m);
            assertArrayEquals(new long[] {8, 8}, fitted.get(p + "key.weight").shape());
            assertArrayEquals(new long[] {8, 8}, fitted.get(p + "value.weight").shape());
            assertSame(w.get(p + "query.weight"), fitted.get(p + "query.weight"));
            float first = fitted.get(p + "key.weight").data().duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .getFloat();
            assertEquals(true, first != 0f, "re-initialised, not zero");
        }
    }
}
