package org.blip4j.vqa;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.image.RgbImage;
import org.blip4j.model.BlipModelLoader;
import org.blip4j.nn.Scoped;
import org.blip4j.task.Blip;

/**
 * Visual question answering with a loaded BLIP VQA model (ViT + image-grounded question encoder + answer decoder,
 * orig {@code BLIP_VQA}): {@code new VisualQuestionAnswerer(blip, options, null).answer(image, "what is it?")}.
 * In 'rank' mode the answer is one of the given candidates.
 */
public final class VisualQuestionAnswerer {
    private final Blip blip;
    private final VqaOptions options;
    private final QuestionEncoder encoder;
    private final AnswerGenerator generator;
    private final AnswerRanker ranker;

    /** @param candidates the answer list for 'rank' mode (BLIP's answer_list.json); ignored for 'generate' */
    public VisualQuestionAnswerer(Blip blip, VqaOptions options, List<String> candidates) {
        if (!BlipModelLoader.isVqaLayout(blip.model().parts())) {
            throw new IllegalArgumentException((blip.directory() == null ? "the model" : blip.directory().toString())
                    + " is not a VQA model: it needs text_encoder.* and text_decoder.* without ITM head/projections,"
                    + " found " + blip.model().parts());
        }
        this.blip = blip;
        this.options = options;
        this.encoder = new QuestionEncoder(blip.model(), blip.tokenizer(), options.preQuestion());
        this.generator = new AnswerGenerator(blip.model(), blip.tokenizer(), options.generation());
        if (options.mode() == VqaMode.RANK) {
            if (candidates == null || candidates.isEmpty()) {
                throw new IllegalArgumentException("'rank' mode needs a candidate answer list");
            }
            this.ranker = new AnswerRanker(blip.model(), blip.tokenizer().specialTokens(),
                    AnswerCandidates.of(candidates, blip.tokenizer()), options.kTest());
        } else {
            this.ranker = null;
        }
    }

    public VqaOptions options() {
        return options;
    }

    public QuestionEncoder questionEncoder() {
        return encoder;
    }

    public VqaAnswer answer(RgbImage image, String question) {
        return answer(List.of(image), List.of(question)).get(0);
    }

    /**
     * Answers question i about image i. Passing the same {@link RgbImage} object for several questions encodes
     * that image once per batch.
     */
    public List<VqaAnswer> answer(List<RgbImage> images, List<String> questions) {
        if (images.size() != questions.size()) {
            throw new IllegalArgumentException(images.size() + " images for " + questions.size() + " questions");
        }
        List<VqaAnswer> out = new ArrayList<>();
        for (int i = 0; i < questions.size(); i += options.batchSize()) {
            int end = Math.min(questions.size(), i + options.batchSize());
            out.addAll(answerBatch(images.subList(i, end), questions.subList(i, end)));
        }
        return out;
    }

    /**
     * Answers a question about a video: the question encoder cross-attends to all sampled frames' tokens
     * concatenated (the paper's zero-shot video QA).
     */
    public VqaAnswer answerVideo(List<RgbImage> frames, String question) {
        return Scoped.inSubManager(blip.manager(), m -> {
            QuestionStates states = encoder.encode(blip.videoTokens(frames, m), List.of(question), false);
            return (options.mode() == VqaMode.RANK ? ranker.rank(states) : generator.generate(states)).get(0);
        });
    }

    private List<VqaAnswer> answerBatch(List<RgbImage> images, List<String> questions) {
        return Scoped.inSubManager(blip.manager(), m -> {
            QuestionStates states = encoder.encode(blip.imageEmbeds(images, m), questions, false);
            return options.mode() == VqaMode.RANK ? ranker.rank(states) : generator.generate(states);
        });
    }
}
