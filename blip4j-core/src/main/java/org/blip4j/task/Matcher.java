package org.blip4j.task;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.blip4j.image.RgbImage;
import org.blip4j.model.Part;
import org.blip4j.nn.Scoped;
import org.blip4j.text.TokenBatch;

/**
 * Image-text matching: ITM match probability and logit from the image-grounded encoder ([ENC] first, as BLIP
 * was trained; the HF port feeds [CLS], transformers issue #22732) and the ITC cosine where the model has projections.
 * Scoring one image against many texts projects the image's cross-attention keys/values once.
 */
public final class Matcher {
    /** Scores of one (image, text) pair; {@code itcCosine} is NaN when the model has no ITC projections. */
    public record PairScore(double itmProbability, double itmLogit, double itcCosine) {
    }

    private final Blip blip;
    private final Embedder embedder;
    private final TextOptions textOptions;
    private final int batchSize;

    /**
     * A matcher over {@code blip}; {@code batchSize} texts go through the ITM head together. It holds only read-only
     * state: one instance may serve many threads at once, each getting the scores a single thread would.
     */
    public Matcher(Blip blip, TextOptions textOptions, int batchSize) {
        this.blip = blip;
        this.textOptions = textOptions;
        this.batchSize = Math.max(1, batchSize);
        this.embedder = new Embedder(blip, textOptions, batchSize);
    }

    /** A matcher with BLIP's retrieval text settings and batches of 16; thread-safe like the other. */
    public Matcher(Blip blip) {
        this(blip, TextOptions.retrieval(), 16);
    }

    public boolean hasItc() {
        return blip.model().has(Part.VISION_PROJ) && blip.model().has(Part.TEXT_PROJ);
    }

    /** Every image against every text: result[i][t]. */
    public PairScore[][] scoreAll(List<RgbImage> images, List<String> texts) {
        float[][] imgFeat = hasItc() ? embedder.embedImages(images) : null;
        float[][] txtFeat = hasItc() ? embedder.embedTexts(texts) : null;
        PairScore[][] out = new PairScore[images.size()][texts.size()];
        for (int img = 0; img < images.size(); img++) {
            int i = img;
            Scoped.inSubManager(blip.manager(), m -> {
                NDArray embeds = blip.model().imageEmbeds(blip.pixels(List.of(images.get(i)), m), false);
                for (int t = 0; t < texts.size(); t += batchSize) {
                    List<String> chunk = texts.subList(t, Math.min(texts.size(), t + batchSize));
                    float[] logits = itmLogits(chunk, embeds, m);
                    for (int j = 0; j < chunk.size(); j++) {
                        double cos = imgFeat == null ? Double.NaN : Embedder.dot(imgFeat[i], txtFeat[t + j]);
                        out[i][t + j] = score(logits[2 * j], logits[2 * j + 1], cos);
                    }
                }
            });
        }
        return out;
    }

    /** Paired scoring: image i with text i. */
    public PairScore[] scorePairs(List<RgbImage> images, List<String> texts) {
        if (images.size() != texts.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + texts.size() + " texts");
        }
        PairScore[] out = new PairScore[images.size()];
        for (int from = 0; from < images.size(); from += batchSize) {
            int i = from;
            int end = Math.min(images.size(), i + batchSize);
            List<RgbImage> imgs = images.subList(i, end);
            List<String> txts = texts.subList(i, end);
            Scoped.inSubManager(blip.manager(), m -> {
                NDArray embeds = blip.imageEmbeds(imgs, m);
                float[] logits = itmLogits(txts, embeds, m);
                float[][] imgFeat = null;
                float[][] txtFeat = null;
                if (hasItc()) {
                    imgFeat = toRows(blip.model().imageFeatures(embeds));
                    TokenBatch tb = embedder.tokenize(txts, false);
                    txtFeat = toRows(blip.model().textFeatures(Embedder.ids(tb, m), Embedder.mask(tb, m), false));
                }
                for (int j = 0; j < imgs.size(); j++) {
                    double cos = imgFeat == null ? Double.NaN : Embedder.dot(imgFeat[j], txtFeat[j]);
                    out[i + j] = score(logits[2 * j], logits[2 * j + 1], cos);
                }
            });
        }
        return out;
    }

    /** ITM logits (2 per text) of texts against one image (1 row of embeds) or paired rows. */
    private float[] itmLogits(List<String> texts, NDArray embeds, NDManager m) {
        TokenBatch tb = embedder.tokenize(texts, true);
        return blip.model().itmLogits(Embedder.ids(tb, m), Embedder.mask(tb, m), embeds, false).toFloatArray();
    }

    private static float[][] toRows(NDArray a) {
        java.util.ArrayList<float[]> rows = new java.util.ArrayList<>();
        Embedder.addRows(rows, a);
        return rows.toArray(new float[0][]);
    }

    static PairScore score(float notMatch, float match, double cosine) {
        double max = Math.max(notMatch, match);
        double pm = Math.exp(match - max) / (Math.exp(match - max) + Math.exp(notMatch - max));
        return new PairScore(pm, match, cosine);
    }

}
