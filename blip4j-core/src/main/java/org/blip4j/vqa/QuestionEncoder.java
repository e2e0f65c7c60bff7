package org.blip4j.vqa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.blip4j.model.BlipModel;
import org.blip4j.model.Part;
import org.blip4j.text.BlipTokenizer;
import org.blip4j.text.Padding;
import org.blip4j.text.TextNormalizer;
import org.blip4j.text.TokenBatch;

/**
 * Question encoding of orig {@code BLIP_VQA.forward}: tokens padded to the longest, truncated to 35, [ENC] in
 * column 0, image-grounded encoder over the image embeddings (image mask all ones).
 */
public final class QuestionEncoder {
    public static final int MAX_LENGTH = 35;
    /** {@code pre_question}'s default word limit ({@code max_ques_words=50}). */
    public static final int MAX_WORDS = 50;

    private final BlipModel model;
    private final BlipTokenizer tokenizer;
    private final boolean preQuestion;

    public QuestionEncoder(BlipModel model, BlipTokenizer tokenizer, boolean preQuestion) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.preQuestion = preQuestion;
        model.require(Part.TEXT_ENCODER, "VQA question encoding");
    }

    /** The text fed to the tokenizer: {@code pre_question} form, or the question as given. */
    public String prepare(String question) {
        return preQuestion ? TextNormalizer.preQuestion(question, MAX_WORDS) : question;
    }

    public TokenBatch tokenize(List<String> questions) {
        return tokenizer.encodeForEncoder(questions.stream().map(this::prepare).toList(), MAX_LENGTH,
                Padding.LONGEST, true);
    }

    /** @param imageEmbeds (B, 1+N, Dv), row b = the image of question b; arrays are created on its manager */
    public QuestionStates encode(NDArray imageEmbeds, List<String> questions, boolean training) {
        return encode(imageEmbeds, tokenize(questions), training);
    }

    public QuestionStates encode(NDArray imageEmbeds, TokenBatch tokens, boolean training) {
        if (imageEmbeds.getShape().get(0) != tokens.size()) {
            throw new IllegalArgumentException(imageEmbeds.getShape().get(0) + " images for " + tokens.size()
                    + " questions");
        }
        NDManager m = imageEmbeds.getManager();
        NDArray ids = m.create(tokens.flatIds(), new Shape(tokens.shape()));
        NDArray mask = m.create(tokens.flatAttentionMask(), new Shape(tokens.shape()));
        return new QuestionStates(model.groundedHidden(ids, mask, imageEmbeds, training), mask);
    }
}
