package org.blip4j.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import org.blip4j.eval.CaptionEvaluator;
import org.blip4j.eval.CaptionPredictions;
import org.blip4j.eval.CaptionReferences;
import org.blip4j.eval.CaptionScores;
import org.blip4j.generate.NucleusSampler;
import org.blip4j.image.RgbImage;
import org.blip4j.util.AtomicFiles;

/**
 * Captioning evaluation as BLIP's {@code train_caption.py: evaluate} + {@code coco_caption_eval}: caption every
 * image of a split with the decoding options, save {@code [{"image_id", "caption"}]}, score against the
 * references (BLEU, ROUGE-L, CIDEr; see {@link CaptionEvaluator} for what is not computed).
 */
public final class CaptionEvaluation {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Captioner captioner;

    public CaptionEvaluation(Captioner captioner) {
        this.captioner = captioner;
    }

    /**
     * The best caption of every image, in split order. Images are decoded one caption batch at a time; a sampling
     * seed is derived from the run seed and the image id, so samples do not depend on batching.
     *
     * @param progress told how many images each finished batch held
     */
    public CaptionPredictions generate(CaptionEvaluationSplit split, IntConsumer progress) {
        int batch = captioner.options().batchSize();
        long seed = captioner.options().generation().seed();
        Map<Long, String> out = new LinkedHashMap<>();
        for (int from = 0; from < split.images().size(); from += batch) {
            int to = Math.min(split.images().size(), from + batch);
            List<RgbImage> images = new ArrayList<>(to - from);
            long[] seeds = new long[to - from];
            for (int i = from; i < to; i++) {
                images.add(split.images().get(i).load());
                seeds[i - from] = NucleusSampler.rowSeed(seed, split.imageIds().get(i));
            }
            List<List<Caption>> caps = captioner.caption(images, seeds);
            for (int i = from; i < to; i++) {
                long id = split.imageIds().get(i);
                if (out.putIfAbsent(id, caps.get(i - from).get(0).text()) != null) {
                    throw new IllegalArgumentException(split.references().source() + ": image id " + id
                            + " is listed twice; predictions are keyed by image id");
                }
            }
            progress.accept(to - from);
        }
        return CaptionPredictions.of(out, "generated captions");
    }

    /** Writes predictions as BLIP's result files: {@code [{"image_id": int, "caption": str}]}, atomically. */
    public static void writePredictions(CaptionPredictions predictions, Path file) throws IOException {
        ArrayNode root = JSON.createArrayNode();
        predictions.captions().forEach((id, caption) -> root.addObject().put("image_id", id).put("caption", caption));
        byte[] bytes = JSON.writeValueAsBytes(root);
        AtomicFiles.write(file, os -> os.write(bytes));
    }

    public static CaptionScores score(CaptionReferences references, CaptionPredictions predictions) {
        return new CaptionEvaluator().evaluate(references, predictions);
    }
}
