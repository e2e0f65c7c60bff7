package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.blip4j.demo.ShapesModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VQA end to end through the CLI: a synthetic world → {@code finetune vqa} of a tiny model from scratch →
 * {@code vqa --mode rank} over the world's answers → {@code eval vqa}. The model must answer the test questions
 * well above the majority answer (and above a question-only prior), i.e. it looks at the images.
 */
class FinetuneVqaCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void tinyModelAnswersSyntheticQuestionsWellAboveTheMajorityAnswer() throws Exception {
        Path world = tmp.resolve("world");
        var synth = CliRunner.run("synth", "--out", world.toString(), "--size", "1000", "--image-size", "64",
                "--test-size", "50", "--threads", "1");
        assertEquals(0, synth.exit(), synth.err());

        // settings found by experiment: ~55% vs ~12% majority and ~35% blind prior, 40 s on one libtorch thread;
        // from scratch, as the world's answers need no pre-training
        Path run = tmp.resolve("run");
        Path shapes = ShapesModel.writeFor(tmp.resolve("shapes_model.json"), 64, world.resolve("tokenizer"));
        List<String> args = new ArrayList<>(List.of("finetune", "vqa", "--config", "vqa", "--out", run.toString()));
        for (String s : List.of("tokenizer=" + world.resolve("tokenizer"), "train_file=" + world.resolve(
                "vqa_train.json"), "image_root=" + world, "model_config=" + shapes, "image_size=64",
                "batch_size_train=16", "max_steps=600", "init_lr=2e-3", "clip_grad_norm=1.0", "schedule=cosine_step",
                "warmup_steps=20", "randaugment=false", "hflip=false", "dropout=0", "drop_path_rate=0", "num_workers=1",
                "save_every_steps=0")) {
            args.add("--set");
            args.add(s);
        }
        var train = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, train.exit(), train.err());
        Path model = run.resolve("model");
        assertTrue(Files.isRegularFile(model.resolve("vocab.txt")), "tokenizer saved with the model");

        Path answers = tmp.resolve("answer_list.json");
        Files.writeString(answers, JSON.writeValueAsString(trainAnswers(world)));
        Path predictions = tmp.resolve("pred.json");
        var vqa = CliRunner.run("vqa", "--model", model.toString(), "--questions", world.resolve("vqa_test.json")
                .toString(), "--images", world.toString(), "--out", predictions.toString(), "--mode", "rank",
                "--answers", answers.toString(), "--k-test", "25");
        assertEquals(0, vqa.exit(), vqa.err());
        var eval = CliRunner.run("eval", "vqa", "--predictions", predictions.toString(), "--data",
                world.resolve("vqa_test_annotations.json").toString(), "--json");
        assertEquals(0, eval.exit(), eval.err());
        double accuracy = JSON.readTree(eval.out().trim()).get("overall").asDouble() / 100;

        double majority = majorityBaseline(world);
        double prior = questionPriorBaseline(world);
        System.out.printf("VQA accuracy %.3f; majority answer %.3f; question-only prior %.3f%n", accuracy,
                majority, prior);
        assertTrue(accuracy > majority + 0.25 && accuracy > 3 * majority, "accuracy " + accuracy
                + " vs majority-answer baseline " + majority);
        assertTrue(accuracy > prior + 0.05, "accuracy " + accuracy + " vs question-only prior " + prior);
    }

    /** The candidate list: every answer the training questions have. */
    static TreeSet<String> trainAnswers(Path world) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        for (JsonNode q : JSON.readTree(world.resolve("vqa_train.json").toFile())) {
            q.get("answer").forEach(a -> out.add(a.asText()));
        }
        return out;
    }

    /** Accuracy of always answering the test set's most common answer. */
    static double majorityBaseline(Path world) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        JsonNode anns = JSON.readTree(world.resolve("vqa_test_annotations.json").toFile()).get("annotations");
        anns.forEach(a -> counts.merge(a.get("multiple_choice_answer").asText(), 1, Integer::sum));
        return (double) counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow() / anns.size();
    }

    /** Accuracy of a blind answerer: the most common training answer of the question's first three words. */
    static double questionPriorBaseline(Path world) throws Exception {
        Map<String, Map<String, Integer>> byType = new HashMap<>();
        for (JsonNode q : JSON.readTree(world.resolve("vqa_train.json").toFile())) {
            byType.computeIfAbsent(type(q.get("question").asText()), k -> new HashMap<>())
                    .merge(q.get("answer").get(0).asText(), 1, Integer::sum);
        }
        Map<Long, String> truth = new HashMap<>();
        JSON.readTree(world.resolve("vqa_test_annotations.json").toFile()).get("annotations").forEach(a ->
                truth.put(a.get("question_id").asLong(), a.get("multiple_choice_answer").asText()));
        int right = 0;
        int total = 0;
        for (JsonNode q : JSON.readTree(world.resolve("vqa_test.json").toFile())) {
            Map<String, Integer> c = byType.getOrDefault(type(q.get("question").asText()), Map.of());
            String guess = c.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                    .orElse("");
            right += guess.equals(truth.get(q.get("question_id").asLong())) ? 1 : 0;
            total++;
        }
        return (double) right / total;
    }

    static String type(String question) {
        String[] w = question.split(" ");
        return String.join(" ", java.util.Arrays.copyOf(w, Math.min(3, w.length)));
    }
}
