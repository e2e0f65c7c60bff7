package org.blip4j.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.blip4j.image.RgbImage;
import org.blip4j.task.Matcher;
import org.blip4j.task.TextOptions;

/**
 * {@code POST /v1/itm}: one image against one or more {@code text} fields, ITM match probability and ITC cosine
 * (null without ITC projections); texts are used as given (as {@code BLIP_ITM.forward} and the {@code itm} command
 * take them), or cleaned with BLIP's {@code pre_caption} when the field {@code pre_caption} is true.
 * Requests are batched as (image, text) pairs, each image encoded once per batch.
 */
final class ItmRoute implements Route {
    static final int MAX_TEXTS = 256;
    static final int MAX_TEXT_CHARS = 2000;

    private record Input(RgbImage image, List<String> texts) {
    }

    private final ModelRoute model;

    ItmRoute(ModelRoute model) {
        this.model = model;
    }

    static List<String> texts(Form form, String field) {
        List<String> texts = form.strings(field);
        if (texts.isEmpty()) {
            throw ApiException.badField(field, "missing (give one or more texts)");
        }
        if (texts.size() > MAX_TEXTS) {
            throw ApiException.badField(field, "more than " + MAX_TEXTS + " texts");
        }
        for (String t : texts) {
            if (t.length() > MAX_TEXT_CHARS) {
                throw ApiException.badField(field, "a text is longer than " + MAX_TEXT_CHARS + " characters");
            }
        }
        return texts;
    }

    @Override
    public CompletableFuture<Object> handle(Form form, Admission.Ticket ticket) {
        List<String> texts = texts(form, "text");
        TextOptions to = new TextOptions(form.bool("pre_caption"), 30, 35);
        Form.Image img = form.image("image", model.decoding(), ticket);
        return model.batcher().<Input, Object>submit(List.of("itm", to), inputs -> score(to, inputs),
                new Input(img.image(), texts));
    }

    /** Pair scores of (image, text) pairs, all requests' pairs in one call; image objects dedup in the encoder. */
    List<Matcher.PairScore> scorePairs(TextOptions to, List<RgbImage> images, List<String> texts) {
        return List.of(new Matcher(model.blip(), to, model.batchSize() * 4).scorePairs(images, texts));
    }

    private List<Object> score(TextOptions to, List<Input> inputs) {
        List<RgbImage> images = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (Input in : inputs) {
            for (String t : in.texts()) {
                images.add(in.image());
                texts.add(t);
            }
        }
        List<Matcher.PairScore> scores = scorePairs(to, images, texts);
        List<Object> out = new ArrayList<>();
        int p = 0;
        for (Input in : inputs) {
            List<Map<String, Object>> results = new ArrayList<>();
            for (String t : in.texts()) {
                Matcher.PairScore s = scores.get(p++);
                results.add(Json.map("text", t, "itm", s.itmProbability(), "itc", s.itcCosine()));
            }
            out.add(Json.map("results", results));
        }
        return out;
    }
}
