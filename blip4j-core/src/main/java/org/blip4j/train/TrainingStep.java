package org.blip4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.blip4j.data.Batch;
import org.blip4j.nn.Ops;
import org.blip4j.nn.RecomputeTape;
import org.blip4j.nn.Scoped;
import org.blip4j.text.BlipTokenizer;
import org.blip4j.text.Padding;
import org.blip4j.text.TextNormalizer;
import org.blip4j.text.TokenBatch;

/**
 * One micro-batch of training: tokenise the captions the task's way, forward the objective, backward (gradients
 * accumulate in the parameters). Randomness (dropout, negatives) is seeded from the micro-step, so a resumed run
 * reproduces the uninterrupted one.
 */
final class TrainingStep {
    /**
     * Pre-training and retrieval texts are padded to the batch's longest text (still cut at max_length), where the
     * original pads every text to max_length (30 / 35). The trailing columns dropped are padding in every row: no
     * query that is read attends to them (their attention weights are exactly 0 in fp32), their LM labels are
     * ignored, and their rows receive no gradient, so losses and gradients change only by float rounding
     * ({@code TrailingPaddingTest}); short captions then cost a short text pass.
     */
    static final Padding TEXT_PADDING = Padding.LONGEST;

    private final TrainingModel tm;
    private final TrainingTask task;
    private final long seed;
    private final int maxWords;
    private final int textMaxLength;
    private final String prompt;
    private final int promptLength;
    private final double labelSmoothing;
    private final int imageSize;
    private final TrainingSet data;
    private final boolean preQuestion;

    TrainingStep(TrainingModel tm, TrainConfig cfg, TrainingSet data) {
        this.tm = tm;
        this.data = data;
        this.preQuestion = cfg.bool("pre_question", true);
        this.task = tm.task();
        this.seed = cfg.integer("seed", 42);
        this.maxWords = cfg.integer("max_words", 30);
        this.textMaxLength = cfg.integer("text_max_length", task == TrainingTask.CAPTION ? 40
                : task == TrainingTask.RETRIEVAL ? 35 : 30);
        this.prompt = cfg.string("prompt", "a picture of ");
        BlipTokenizer tok = tm.tokenizer();
        this.promptLength = task == TrainingTask.CAPTION ? tok.tokenizer().encode(prompt).length - 1 : 0;
        this.labelSmoothing = cfg.number("label_smoothing", 0.1);
        this.imageSize = tm.online().config().vision().imageSize();
    }

    /** Forward + backward of one micro-batch; returns its (unscaled) losses. */
    Map<String, Double> run(Batch batch, long microStep, double alpha, int accumulation) {
        Engine.getEngine("PyTorch").setRandomSeed((int) (seed * 1_000_003L + microStep));
        NegativeSampler sampler = NegativeSampler.multinomial(new Random(seed * 7_919L + microStep));
        Map<String, Double> losses = new LinkedHashMap<>();
        if (tm.momentum() != null) {
            tm.momentum().update();
        }
        Scoped.inSubManager(tm.online().manager(), m -> {
            NDArray pixels = m.create(batch.pixels(), new Shape(batch.size(), 3, imageSize, imageSize));
            // VQA texts are questions, normalised by the question encoder
            List<String> texts = task == TrainingTask.VQA ? batch.captions()
                    : batch.captions().stream().map(c -> TextNormalizer.preCaption(c, maxWords)).toList();
            // the tape: ViT blocks under gradient checkpointing (vit_grad_ckpt) are recomputed in its backward
            try (RecomputeTape tape = RecomputeTape.open();
                 GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray total;
                switch (task) {
                    case PRETRAIN -> {
                        TokenBatch tb = tm.tokenizer().encode(texts, textMaxLength, TEXT_PADDING, true);
                        NDArray ids = ids(tb, m);
                        NDArray mask = mask(tb, m);
                        var st = tm.tokenizer().specialTokens();
                        NDArray enc = ids(tb.withFirstToken(st.enc()), m);
                        TokenBatch dec = tb.withFirstToken(st.bos());
                        NDArray decIds = ids(dec, m);
                        NDArray labels = m.create(CaptionObjective.labels(dec.flatIds(), dec.flatAttentionMask(),
                                dec.length(), 0), new Shape(dec.size(), dec.length()));
                        PretrainObjective.Output out = PretrainObjective.forward(tm.online(), tm.momentum().model(),
                                tm.queue(), pixels, ids, enc, decIds, mask, labels, alpha, labelSmoothing, sampler,
                                true);
                        tm.queue().enqueue(out.imageFeatM(), out.textFeatM(), null);
                        losses.put("loss_itc", (double) out.lossItc().getFloat());
                        losses.put("loss_itm", (double) out.lossItm().getFloat());
                        losses.put("loss_lm", (double) out.lossLm().getFloat());
                        total = out.total();
                    }
                    case RETRIEVAL -> {
                        TokenBatch tb = tm.tokenizer().encode(texts, textMaxLength, TEXT_PADDING, true);
                        NDArray ids = ids(tb, m);
                        NDArray mask = mask(tb, m);
                        NDArray enc = ids(tb.withFirstToken(tm.tokenizer().specialTokens().enc()), m);
                        NDArray idx = m.create(batch.imageIds());
                        RetrievalObjective.Output out = RetrievalObjective.forward(tm.online(),
                                tm.momentum().model(), tm.queue(), pixels, ids, enc, mask, idx, batch.imageIds(),
                                alpha, sampler, true);
                        tm.queue().enqueue(out.imageFeatM(), out.textFeatM(), idx);
                        losses.put("loss_itc", (double) out.lossItc().getFloat());
                        losses.put("loss_itm", (double) out.lossItm().getFloat());
                        total = out.lossItc().add(out.lossItm());
                    }
                    case CAPTION -> {
                        List<String> withPrompt = texts.stream().map(t -> prompt + t).toList();
                        TokenBatch dec = tm.tokenizer().encodeForDecoder(withPrompt, textMaxLength, Padding.LONGEST,
                                true);
                        NDArray labels = m.create(CaptionObjective.labels(dec.flatIds(), dec.flatAttentionMask(),
                                dec.length(), promptLength), new Shape(dec.size(), dec.length()));
                        NDArray loss = CaptionObjective.forward(tm.online(), pixels, ids(dec, m), mask(dec, m), labels,
                                labelSmoothing, true);
                        losses.put("loss_lm", (double) loss.getFloat());
                        total = loss;
                    }
                    case VQA -> {
                        VqaObjective.AnswerGroups answers = VqaObjective.AnswerGroups.of(
                                batch.keys().stream().map(data::answersOf).toList());
                        NDArray loss = VqaObjective.forward(tm.online(), tm.tokenizer(), pixels, texts, answers,
                                preQuestion, true);
                        losses.put("loss_vqa", (double) loss.getFloat());
                        total = loss;
                    }
                    default -> throw new IllegalStateException(task.toString());
                }
                gc.backward(accumulation == 1 ? total : Ops.div(total, accumulation));
                tape.backward();
            }
        });
        return losses;
    }

    static NDArray ids(TokenBatch tb, NDManager m) {
        return m.create(tb.flatIds(), new Shape(tb.size(), tb.length()));
    }

    static NDArray mask(TokenBatch tb, NDManager m) {
        return m.create(tb.flatAttentionMask(), new Shape(tb.size(), tb.length()));
    }
}
