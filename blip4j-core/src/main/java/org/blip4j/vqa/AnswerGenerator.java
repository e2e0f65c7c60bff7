package org.blip4j.vqa;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.blip4j.generate.DecoderStepProvider;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.generate.Generator;
import org.blip4j.generate.Hypothesis;
import org.blip4j.generate.StepFunction;
import org.blip4j.model.BlipModel;
import org.blip4j.model.Part;
import org.blip4j.text.BlipTokenizer;
import org.blip4j.text.SpecialTokens;

/**
 * The 'generate' mode of orig {@code BLIP_VQA.forward}: decoding from [DEC] alone, cross-attending to the question
 * states, stopping on [SEP]; the answer is the best sequence decoded without special tokens.
 */
final class AnswerGenerator {
    private final BlipModel model;
    private final BlipTokenizer tokenizer;
    private final GenerationOptions options;

    public AnswerGenerator(BlipModel model, BlipTokenizer tokenizer, GenerationOptions options) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.options = options;
        model.require(Part.TEXT_DECODER, "generating VQA answers");
    }

    /** Best answer per question; arrays live on the question states' manager (closed by the caller). */
    public List<VqaAnswer> generate(QuestionStates questions) {
        return generate(questions, UnaryOperator.identity());
    }

    /** @param observe wraps the decoder step (tests record logits and beam reorderings through it) */
    List<VqaAnswer> generate(QuestionStates questions, UnaryOperator<StepFunction> observe) {
        SpecialTokens ids = tokenizer.specialTokens();
        List<List<Hypothesis>> hyps;
        // the original replaces the question padding mask by ones here (padded positions ARE attended);
        // a null encoder mask is all ones
        try (DecoderStepProvider.DecoderSession step = DecoderStepProvider.open(model, questions.states(), null,
                options.rowsPerInput(), true)) {
            hyps = Generator.generate(observe.apply(step), new long[] {ids.dec()}, questions.size(), ids.eos(),
                    ids.pad(), options, null);
        }
        List<VqaAnswer> out = new ArrayList<>();
        for (List<Hypothesis> perQuestion : hyps) {
            Hypothesis best = perQuestion.get(0);
            out.add(new VqaAnswer(tokenizer.decode(best.tokens()), best.score(), best.tokens(), List.of()));
        }
        return out;
    }
}
