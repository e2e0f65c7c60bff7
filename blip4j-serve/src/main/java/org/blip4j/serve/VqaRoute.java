package org.blip4j.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.image.RgbImage;
import org.blip4j.vqa.VisualQuestionAnswerer;
import org.blip4j.vqa.VqaAnswer;
import org.blip4j.vqa.VqaMode;
import org.blip4j.vqa.VqaOptions;

/**
 * {@code POST /v1/vqa}: the {@code vqa} command's single-image form ({@code mode} generate or rank with
 * {@code answers}, {@code beams}, {@code max_length}, {@code min_length}, {@code k_test}, {@code pre_question}
 * (BLIP's question cleaning; off by default, as in {@code BLIP_VQA.forward} and the {@code vqa} command));
 * questions with the same options are answered together.
 */
final class VqaRoute implements Route {
    private record Input(RgbImage image, String question) {
    }

    private final ModelRoute model;

    VqaRoute(ModelRoute model) {
        this.model = model;
    }

    @Override
    public CompletableFuture<Object> handle(Form form, Admission.Ticket ticket) {
        String question = form.requiredString("question");
        if (question.length() > 2000) {
            throw ApiException.badField("question", "longer than 2000 characters");
        }
        VqaMode mode = switch (form.string("mode", "generate").trim().toLowerCase(Locale.ROOT)) {
            case "generate" -> VqaMode.GENERATE;
            case "rank" -> VqaMode.RANK;
            default -> throw ApiException.badField("mode", "must be 'generate' or 'rank'");
        };
        List<String> answers = form.strings("answers");
        if (mode == VqaMode.RANK && answers.isEmpty()) {
            throw ApiException.badField("answers", "mode 'rank' needs candidate answers (repeat the field)");
        }
        if (answers.size() > 10_000) {
            throw ApiException.badField("answers", "more than 10000 candidates");
        }
        int beams = form.integer("beams", 3, 1, 16);
        int maxLength = form.integer("max_length", 10, 1, 64);
        int minLength = form.integer("min_length", 1, 0, 64);
        if (minLength > maxLength) {
            throw ApiException.badField("min_length", "must not exceed max_length (" + maxLength + ")");
        }
        GenerationOptions g = beams == 1 ? GenerationOptions.greedy(maxLength, minLength)
                : GenerationOptions.beam(beams, maxLength, minLength);
        VqaOptions options = new VqaOptions(mode, g, form.integer("k_test", VqaOptions.DEFAULT_K_TEST, 1, 10_000),
                form.bool("pre_question"), model.batchSize());
        List<String> candidates = mode == VqaMode.RANK ? List.copyOf(answers) : null;
        Form.Image img = form.image("image", model.decoding(), ticket);
        return model.batcher().<Input, Object>submit(java.util.Arrays.asList("vqa", options, candidates),
                inputs -> answer(options, candidates, inputs), new Input(img.image(), question));
    }

    private List<Object> answer(VqaOptions options, List<String> candidates, List<Input> inputs) {
        List<RgbImage> images = new ArrayList<>();
        List<String> questions = new ArrayList<>();
        for (Input in : inputs) {
            images.add(in.image());
            questions.add(in.question());
        }
        List<VqaAnswer> answers = new VisualQuestionAnswerer(model.blip(), options, candidates)
                .answer(images, questions);
        List<Object> out = new ArrayList<>();
        for (VqaAnswer a : answers) {
            out.add(Json.map("answer", a.answer(), "score", a.score()));
        }
        return out;
    }
}
