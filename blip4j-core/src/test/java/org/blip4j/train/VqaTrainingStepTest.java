package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.data.Batch;
import org.blip4j.data.ResumePoint;
import org.blip4j.data.Sample;
import org.blip4j.engine.Engines;
import org.blip4j.testutil.Fixtures;
import org.blip4j.testutil.Golden;
import org.blip4j.vqa.QuestionStates;
import org.blip4j.vqa.VqaLoss;
import org.junit.jupiter.api.Test;

/**
 * The trainer's VQA micro-step on tiny-a-vqa: its loss equals the official forward(train=True) golden and
 * {@link VqaLoss} on the golden's own token ids, so data weighting, collate and tokenisation add nothing wrong.
 */
class VqaTrainingStepTest {
    static final Path SET = Fixtures.resource("parity/tiny-a-vqa");

    @Test
    void stepLossEqualsTheGoldenAndVqaLoss() throws Exception {
        JsonNode json = new ObjectMapper().readTree(SET.resolve("golden.json").toFile());
        Golden g = new Golden(SET.resolve("golden.safetensors"));
        List<String> questions = new ArrayList<>();
        json.get("questions").forEach(q -> questions.add(q.get("text").asText()));
        // the golden's questions are fed raw and the model is in eval mode: no pre_question, no dropout
        TrainConfig cfg = TrainConfig.load("vqa").with(List.of("init_from=" + SET.resolve("model"), "image_size=64",
                "dropout=0", "drop_path_rate=0", "pre_question=false"));
        Map<String, WeightedAnswers> answers = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        JsonNode perQuestion = json.at("/train/answers_per_question");
        for (int q = 0; q < questions.size(); q++) {
            keys.add("q" + q);
            answers.put("q" + q, annotatorAnswers(perQuestion.get(q), json.at("/train/weights_per_question").get(q)));
        }
        TrainingSet data = new TrainingSet(List.of(), answers);
        Batch batch = new Batch(0, 0, g.floats("pixel_values"), questions,
                Collections.nCopies(questions.size(), Sample.NO_IMAGE_ID).stream().mapToLong(Long::longValue)
                        .toArray(), keys, ResumePoint.startOf(0));
        try (NDManager manager = Engines.newManager(Engines.device("cpu"));
             TrainingModel tm = TrainingModel.create(cfg, TrainingTask.VQA, Path.of("."), manager,
                     TrainingListener.NONE)) {
            Gradients.enable(tm.trainable());
            double stepLoss = new TrainingStep(tm, cfg, data).run(batch, 0, 0, 1).get("loss_vqa");
            assertEquals(g.floats("train_loss")[0], stepLoss, 1e-4, "step loss vs official forward(train=True)");
            try (NDManager m = manager.newSubManager()) {
                NDArray pixels = g.get("pixel_values", m);
                NDArray qIds = g.get("question_input_ids", m);
                NDArray qMask = g.get("question_attention_mask", m);
                QuestionStates q = new QuestionStates(tm.online().groundedHidden(qIds, qMask,
                        tm.online().imageEmbeds(pixels, false), false), qMask);
                NDArray aIds = g.get("train_answer_input_ids", m);
                NDArray aMask = g.get("train_answer_attention_mask", m);
                int[] n = java.util.Arrays.stream(g.longs("train_n")).mapToInt(x -> (int) x).toArray();
                NDArray direct = VqaLoss.loss(tm.online(), q, aIds, aMask, n, g.get("train_weights", m),
                        tm.tokenizer().specialTokens().pad(), false);
                assertEquals(direct.getFloat(), stepLoss, 1e-5, "step loss vs VqaLoss on the same inputs");
            }
        }
    }

    /** Ten annotator answers reproducing the golden's weights (e.g. 0.6/0.4 → six and four). */
    static WeightedAnswers annotatorAnswers(JsonNode answers, JsonNode weights) {
        List<String> given = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            given.addAll(Collections.nCopies((int) Math.round(weights.get(i).asDouble() * 10), answers.get(i)
                    .asText()));
        }
        return WeightedAnswers.byShare(given);
    }
}
