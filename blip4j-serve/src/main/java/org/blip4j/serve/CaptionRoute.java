package org.blip4j.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.image.RgbImage;
import org.blip4j.task.Caption;
import org.blip4j.task.CaptionDecoding;
import org.blip4j.task.CaptionOptions;
import org.blip4j.task.Captioner;

/**
 * {@code POST /v1/caption}: the {@code caption} command's decoding options as form fields; requests with the same
 * options are decoded together. The sampling seed of an upload derives from {@code seed} and its file name, as the
 * command derives it from {@code --seed} and the path it was given.
 */
final class CaptionRoute implements Route {
    private record Input(RgbImage image, long seed) {
    }

    private final ModelRoute model;

    CaptionRoute(ModelRoute model) {
        this.model = model;
    }

    @Override
    public CompletableFuture<Object> handle(Form form, Admission.Ticket ticket) {
        CaptionDecoding d = decodingOf(form);
        GenerationOptions g;
        try {
            g = d.options();
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "decoding options: " + e.getMessage());
        }
        if (form.string("prompt", "").length() > 200) {
            throw ApiException.badField("prompt", "longer than 200 characters");
        }
        // the seed reaches the decoder per image (below), so requests with different seeds can share a batch
        CaptionOptions options = new CaptionOptions(g.withSeed(0), form.string("prompt", CaptionOptions.DEFAULT_PROMPT),
                true, model.batchSize());
        Form.Image img = form.image("image", model.decoding(), ticket);
        Input in = new Input(img.image(), CaptionDecoding.imageSeed(d.seed(), img.name()));
        return model.batcher().<Input, Object>submit(List.of("caption", options), inputs -> caption(options, inputs),
                in);
    }

    private List<Object> caption(CaptionOptions options, List<Input> inputs) {
        List<RgbImage> images = new ArrayList<>();
        long[] seeds = new long[inputs.size()];
        for (int i = 0; i < inputs.size(); i++) {
            images.add(inputs.get(i).image());
            seeds[i] = inputs.get(i).seed();
        }
        List<List<Caption>> caps = new Captioner(model.blip(), options).caption(images, seeds);
        List<Object> out = new ArrayList<>();
        for (List<Caption> perImage : caps) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Caption c : perImage) {
                list.add(Json.map("caption", c.text(), "score", c.score()));
            }
            out.add(Json.map("captions", list));
        }
        return out;
    }

    static CaptionDecoding decodingOf(Form f) {
        int modes = (f.has("greedy") && f.bool("greedy") ? 1 : 0) + (f.has("sample") && f.bool("sample") ? 1 : 0)
                + (f.has("beams") ? 1 : 0);
        if (modes > 1) {
            throw new ApiException(400, "fields 'greedy', 'sample' and 'beams' exclude each other; give one");
        }
        CaptionDecoding dflt = CaptionDecoding.defaults();
        GenerationOptions.Strategy strategy = f.bool("greedy") ? GenerationOptions.Strategy.GREEDY
                : f.bool("sample") ? GenerationOptions.Strategy.SAMPLE : GenerationOptions.Strategy.BEAM;
        return new CaptionDecoding(strategy,
                f.integer("beams", dflt.beams(), 1, 16),
                f.number("top_p", dflt.topP(), 0, 1),
                f.integer("top_k", dflt.topK(), 0, 100_000),
                f.number("temperature", dflt.temperature(), 1e-3, 100),
                f.longValue("seed", dflt.seed()),
                f.integer("num_captions", dflt.numCaptions(), 1, 16),
                f.integer("max_length", dflt.maxLength(), 1, 128),
                f.integer("min_length", dflt.minLength(), 0, 128),
                f.optionalNumber("repetition_penalty", 1e-3, 100),
                f.number("length_penalty", dflt.lengthPenalty(), -100, 100));
    }
}
