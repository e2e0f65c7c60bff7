package org.blip4j.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Caption metrics for one evaluation: corpus scores keyed as pycocoevalcap names them (Bleu_1..Bleu_4, ROUGE_L,
 * CIDEr; all on the 0-1 scale except CIDEr, which is ×10 by definition), per-image scores with the same keys, the
 * tokenized captions the scorers saw, and the metrics that were not computed.
 *
 * @param imageIds                 evaluated images in evaluation order
 * @param corpus                   metric name -> corpus score
 * @param perImage                 image id -> metric name -> score (pycocoevalcap's imgToEval)
 * @param tokenizedReferences      what the scorers received (PTB-tokenized, punctuation removed)
 * @param tokenizedPredictions     ditto for the candidates
 * @param notComputed              METEOR and SPICE with the reason, instead of a number
 * @param imagesWithoutPrediction  reference images skipped because no caption was predicted for them (the COCO
 *                                 toolkit evaluates only the predicted images)
 */
public record CaptionScores(List<Long> imageIds,
                            Map<String, Double> corpus,
                            Map<Long, Map<String, Double>> perImage,
                            Map<Long, List<String>> tokenizedReferences,
                            Map<Long, String> tokenizedPredictions,
                            List<NotComputed> notComputed,
                            int imagesWithoutPrediction) {

    /** Plain-text table: one metric per line, corpus score, then the metrics without a number and why. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-8s %10s%n", "metric", "score"));
        corpus.forEach((name, value) -> sb.append(String.format(Locale.ROOT, "%-8s %10.4f%n", name, value)));
        for (NotComputed nc : notComputed) {
            sb.append(String.format(Locale.ROOT, "%-8s %10s  (%s)%n", nc.metric(), "n/a", nc.reason()));
        }
        sb.append(String.format(Locale.ROOT, "%d images evaluated", imageIds.size()));
        if (imagesWithoutPrediction > 0) {
            sb.append(String.format(Locale.ROOT, ", %d reference images had no prediction", imagesWithoutPrediction));
        }
        return sb.append(System.lineSeparator()).toString();
    }

    /** JSON: {"corpus": {...}, "notComputed": [{"metric","reason"}], "imageIds": [...], "imgToEval": {...}}. */
    public String toJson() {
        ObjectNode root = JsonFields.MAPPER.createObjectNode();
        ObjectNode c = root.putObject("corpus");
        corpus.forEach(c::put);
        ArrayNode nc = root.putArray("notComputed");
        notComputed.forEach(n -> nc.addObject().put("metric", n.metric()).put("reason", n.reason()));
        root.put("imagesWithoutPrediction", imagesWithoutPrediction);
        ArrayNode ids = root.putArray("imageIds");
        imageIds.forEach(ids::add);
        ObjectNode per = root.putObject("imgToEval");
        perImage.forEach((id, scores) -> {
            ObjectNode o = per.putObject(Long.toString(id));
            o.put("image_id", id);
            scores.forEach(o::put);
        });
        try {
            return JsonFields.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
