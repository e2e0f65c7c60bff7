package org.blip4j.task;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;

/**
 * Predictions and accuracy over an NLVR2 annotation file, as {@code train_nlvr.py:evaluate} (arg-max of the logits
 * against the label). Images are read in the annotated order (the official dataset also swaps them at random in
 * every split, an augmentation that makes its evaluation non-deterministic; not done here). A pair whose image
 * cannot be read is skipped and counted.
 */
public final class NlvrEvaluator {
    /** One prediction; {@code correct} is null for unlabelled items. */
    public record Row(NlvrAnnotations.Item item, Nlvr.Prediction prediction, Boolean correct) {
    }

    /** A skipped pair and why. */
    public record Skipped(NlvrAnnotations.Item item, String reason) {
    }

    public record Result(List<Row> rows, List<Skipped> skipped, int labelled, int correct) {
        /** Accuracy over the labelled pairs that were scored (NaN without any). */
        public double accuracy() {
            return labelled == 0 ? Double.NaN : (double) correct / labelled;
        }
    }

    private NlvrEvaluator() {
    }

    /**
     * @param progress called with the number of items done after each batch (may be null)
     */
    public static Result evaluate(Nlvr nlvr, List<NlvrAnnotations.Item> items, int batchSize, boolean preCaption,
            IntConsumer progress) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be > 0, got " + batchSize);
        }
        List<Row> rows = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        int labelled = 0;
        int correct = 0;
        for (int start = 0; start < items.size(); start += batchSize) {
            List<NlvrAnnotations.Item> batch = items.subList(start, Math.min(items.size(), start + batchSize));
            List<NlvrAnnotations.Item> ok = new ArrayList<>();
            List<Nlvr.Example> examples = new ArrayList<>();
            for (NlvrAnnotations.Item it : batch) {
                try {
                    RgbImage a = ImageLoader.load(it.image0());
                    RgbImage b = ImageLoader.load(it.image1());
                    examples.add(new Nlvr.Example(a, b, it.sentence()));
                    ok.add(it);
                } catch (RuntimeException e) {
                    skipped.add(new Skipped(it, e.getMessage() == null ? e.toString() : e.getMessage()));
                }
            }
            List<Nlvr.Prediction> predictions = nlvr.predict(examples, preCaption);
            for (int i = 0; i < ok.size(); i++) {
                NlvrAnnotations.Item it = ok.get(i);
                Nlvr.Prediction p = predictions.get(i);
                Boolean right = it.label() == null ? null : it.label() == p.prediction();
                if (right != null) {
                    labelled++;
                    correct += right ? 1 : 0;
                }
                rows.add(new Row(it, p, right));
            }
            if (progress != null) {
                progress.accept(Math.min(items.size(), start + batchSize));
            }
        }
        return new Result(rows, skipped, labelled, correct);
    }
}
