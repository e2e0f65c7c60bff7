package org.blip4j.task.retrieval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.blip4j.task.TextOptions;
import org.blip4j.text.BlipTokenizer;
import org.blip4j.text.Padding;
import org.blip4j.text.TokenBatch;

/**
 * The split's texts, pre_caption'd and tokenized once (unpadded, truncated to the max length), from which any
 * subset becomes an (ids, mask) batch padded to its longest row. The original pads every row to 35; padding is
 * masked, so the shorter rows give the same features for less work.
 */
final class SplitTexts {
    private final long[][] ids;
    private final long pad;
    private final long enc;

    SplitTexts(BlipTokenizer tokenizer, TextOptions options, List<String> texts) {
        List<String> prepared = texts.stream().map(options::prepare).toList();
        TokenBatch tb = tokenizer.encode(prepared, options.maxLength(), Padding.NONE, true);
        this.ids = tb.ids();
        this.pad = tokenizer.specialTokens().pad();
        this.enc = tokenizer.specialTokens().enc();
    }

    int size() {
        return ids.length;
    }

    /**
     * Rows {@code indices} as {ids, mask} on {@code m}.
     *
     * @param grounded put [ENC] in column 0 (image-grounded encoder, as train_retrieval.py does), else keep [CLS]
     */
    NDArray[] batch(int[] indices, int from, int to, boolean grounded, NDManager m) {
        int rows = to - from;
        int len = 0;
        for (int r = from; r < to; r++) {
            len = Math.max(len, ids[indices[r]].length);
        }
        long[] flatIds = new long[rows * len];
        long[] flatMask = new long[rows * len];
        for (int r = 0; r < rows; r++) {
            long[] row = ids[indices[from + r]];
            for (int c = 0; c < len; c++) {
                boolean real = c < row.length;
                flatIds[r * len + c] = real ? row[c] : pad;
                flatMask[r * len + c] = real ? 1 : 0;
            }
            if (grounded && row.length > 0) {
                flatIds[r * len] = enc;
            }
        }
        Shape shape = new Shape(rows, len);
        return new NDArray[] {m.create(flatIds, shape), m.create(flatMask, shape)};
    }
}
