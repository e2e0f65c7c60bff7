package org.blip4j.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * COCOEvalCap.evaluate without METEOR and SPICE: the images that have a prediction are evaluated, in reference
 * order; references and predictions are PTB-tokenized in two separate calls; then BLEU-4, ROUGE-L and CIDEr-D.
 */
public final class CaptionEvaluator {
    /** Corpus/per-image keys, in pycocoevalcap's order. */
    public static final List<String> METRICS = List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr");

    static final List<NotComputed> NOT_COMPUTED = List.of(
            new NotComputed("METEOR", "not implemented: pycocoevalcap runs the external meteor-1.5.jar (Java, "
                    + "with paraphrase tables); no faithful port exists here"),
            new NotComputed("SPICE", "not implemented: pycocoevalcap runs the external spice-1.0.jar (scene-graph "
                    + "parsing with CoreNLP 3.6.0 models); no faithful port exists here"));

    private final PtbTokenizer tokenizer = new PtbTokenizer();

    public CaptionScores evaluate(CaptionReferences references, CaptionPredictions predictions) {
        for (Long id : predictions.captions().keySet()) {
            if (!references.captions().containsKey(id)) {
                throw new IllegalArgumentException(predictions.source() + ": prediction for image_id " + id
                        + ", which has no references in " + references.source());
            }
        }
        List<Long> ids = new ArrayList<>();
        for (Map.Entry<Long, List<String>> e : references.captions().entrySet()) {
            if (predictions.captions().containsKey(e.getKey())) {
                if (e.getValue().isEmpty()) {
                    throw new IllegalArgumentException(references.source() + ": image_id " + e.getKey()
                            + " has a prediction but no reference captions");
                }
                ids.add(e.getKey());
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException(predictions.source() + ": no predictions to evaluate");
        }

        List<String> flatRefs = new ArrayList<>();
        List<String> preds = new ArrayList<>();
        for (Long id : ids) {
            for (String ref : references.captions().get(id)) {
                flatRefs.add(checkLineBreaks(ref, id, references.source()));
            }
            preds.add(checkLineBreaks(predictions.captions().get(id), id, predictions.source()));
        }
        List<String> tokRefsFlat = tokenizer.tokenize(flatRefs);
        List<String> tokPreds = tokenizer.tokenize(preds);

        Map<Long, List<String>> tokRefs = new LinkedHashMap<>();
        Map<Long, String> tokPredMap = new LinkedHashMap<>();
        List<List<String>> refLists = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < ids.size(); i++) {
            int count = references.captions().get(ids.get(i)).size();
            List<String> refs = List.copyOf(tokRefsFlat.subList(at, at + count));
            at += count;
            refLists.add(refs);
            tokRefs.put(ids.get(i), refs);
            tokPredMap.put(ids.get(i), tokPreds.get(i));
        }

        Bleu.Result bleu = new Bleu(4).score(tokPreds, refLists);
        MetricScore rouge = new Rouge().score(tokPreds, refLists);
        MetricScore cider = new Cider().score(tokPreds, refLists);

        Map<String, Double> corpus = new LinkedHashMap<>();
        for (int k = 0; k < 4; k++) {
            corpus.put(METRICS.get(k), bleu.corpus()[k]);
        }
        corpus.put("ROUGE_L", rouge.corpus());
        corpus.put("CIDEr", cider.corpus());
        Map<Long, Map<String, Double>> perImage = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            Map<String, Double> scores = new LinkedHashMap<>();
            for (int k = 0; k < 4; k++) {
                scores.put(METRICS.get(k), bleu.perImage()[k][i]);
            }
            scores.put("ROUGE_L", rouge.perImage()[i]);
            scores.put("CIDEr", cider.perImage()[i]);
            perImage.put(ids.get(i), Collections.unmodifiableMap(scores));
        }
        return new CaptionScores(List.copyOf(ids), Collections.unmodifiableMap(corpus),
                Collections.unmodifiableMap(perImage), Collections.unmodifiableMap(tokRefs),
                Collections.unmodifiableMap(tokPredMap), NOT_COMPUTED,
                references.captions().size() - ids.size());
    }

    /** Names the image when a caption would break the tokenizer's one-line-per-caption alignment. */
    private static String checkLineBreaks(String caption, long imageId, String source) {
        String replaced = caption.replace('\n', ' ');
        int bad = PtbTokenizer.lineBreakIndex(replaced);
        if (bad >= 0) {
            throw new IllegalArgumentException(String.format("%s: caption for image_id %d contains line break "
                    + "U+%04X, which would shift the COCO tokenizer's output onto other images: %s",
                    source, imageId, (int) replaced.charAt(bad), caption));
        }
        return caption;
    }
}
