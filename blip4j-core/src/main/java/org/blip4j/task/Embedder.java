package org.blip4j.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.image.RgbImage;
import org.blip4j.nn.Scoped;
import org.blip4j.text.Padding;
import org.blip4j.text.TokenBatch;

/**
 * ITC embeddings: L2-normalised projections of the image [CLS] and the unimodal text [CLS] (orig
 * {@code models/blip_retrieval.py} {@code BLIP_Retrieval.forward}).
 */
public final class Embedder {
    private final Blip blip;
    private final TextOptions textOptions;
    private final int batchSize;

    public Embedder(Blip blip, TextOptions textOptions, int batchSize) {
        this.blip = blip;
        this.textOptions = textOptions;
        this.batchSize = Math.max(1, batchSize);
    }

    public Embedder(Blip blip) {
        this(blip, TextOptions.retrieval(), 16);
    }

    public float[][] embedImages(List<RgbImage> images) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < images.size(); i += batchSize) {
            List<RgbImage> chunk = images.subList(i, Math.min(images.size(), i + batchSize));
            Scoped.inSubManager(blip.manager(), m -> {
                NDArray px = blip.pixels(chunk, m);
                addRows(out, blip.model().imageFeatures(blip.model().imageEmbeds(px, false)));
            });
        }
        return out.toArray(new float[0][]);
    }

    public float[][] embedTexts(List<String> texts) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i += batchSize) {
            List<String> chunk = texts.subList(i, Math.min(texts.size(), i + batchSize));
            Scoped.inSubManager(blip.manager(), m -> {
                TokenBatch tb = tokenize(chunk, false);
                addRows(out, blip.model().textFeatures(ids(tb, m), mask(tb, m), false));
            });
        }
        return out.toArray(new float[0][]);
    }

    TokenBatch tokenize(List<String> texts, boolean forEncoder) {
        List<String> prepared = texts.stream().map(textOptions::prepare).toList();
        return forEncoder
                ? blip.tokenizer().encodeForEncoder(prepared, textOptions.maxLength(), Padding.LONGEST, true)
                : blip.tokenizer().encode(prepared, textOptions.maxLength(), Padding.LONGEST, true);
    }

    static NDArray ids(TokenBatch tb, NDManager m) {
        return m.create(tb.flatIds(), new Shape(tb.size(), tb.length()));
    }

    static NDArray mask(TokenBatch tb, NDManager m) {
        return m.create(tb.flatAttentionMask(), new Shape(tb.size(), tb.length()));
    }

    static void addRows(List<float[]> out, NDArray matrix) {
        int rows = (int) matrix.getShape().get(0);
        int cols = (int) matrix.getShape().get(1);
        float[] flat = matrix.toFloatArray();
        for (int r = 0; r < rows; r++) {
            float[] row = new float[cols];
            System.arraycopy(flat, r * cols, row, 0, cols);
            out.add(row);
        }
    }

    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }
}
