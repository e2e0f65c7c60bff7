package org.blip4j.vqa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.blip4j.generate.DecoderStep;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.task.Blip;
import org.blip4j.testutil.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Parity with the official BLIP_VQA code on tiny-a-vqa: question states, greedy and beam 'generate', 'rank'
 * (first-token probabilities, top-k, candidate scores, answers). Max differences are printed for the record.
 */
class TinyAVqaParityTest {
    static final double TOL = 1e-4;
    /** Probabilities, scores and losses: 1e-5, relative where |expected| > 1, as the fixture README suggests. */
    static final double TOL_SCORE = 1e-5;
    static final int V = TinyAVqaFixture.VOCAB;
    static TinyAVqaFixture fx;
    static Blip blip;

    @BeforeAll
    static void load() throws Exception {
        fx = new TinyAVqaFixture();
        blip = TinyAVqaFixture.load();
    }

    @AfterAll
    static void close() {
        blip.close();
    }

    /** |actual - expected|, relative where |expected| > 1 (as {@code Golden.assertClose}). */
    static double relative(double actual, double expected) {
        return Math.abs(actual - expected) / Math.max(1.0, Math.abs(expected));
    }

    static void report(String what, double diff) {
        System.out.printf("tiny-a-vqa %-28s max diff %.3g%n", what, diff);
    }

    @Test
    void questionStatesMatch() {
        Golden g = fx.golden;
        try (NDManager m = blip.manager().newSubManager()) {
            NDArray embeds = blip.model().imageEmbeds(blip.pixels(fx.images(), m), false);
            report("image_embeds", Golden.assertClose("image_embeds", g.get("image_embeds", m), embeds, TOL));
            QuestionEncoder enc = new QuestionEncoder(blip.model(), blip.tokenizer(), false);
            var tokens = enc.tokenize(fx.questions());
            assertArrayEquals(g.longs("question_input_ids"), tokens.flatIds());
            assertArrayEquals(g.longs("question_attention_mask"), tokens.flatAttentionMask());
            QuestionStates q = enc.encode(embeds, tokens, false);
            report("question_states", Golden.assertClose("question_states", g.get("question_states", m),
                    q.states(), TOL));
            assertArrayEquals(g.longs("question_attention_mask"), q.mask().toLongArray());
        }
    }

    @Test
    void greedyAnswersAndStepLogitsMatch() {
        Golden g = fx.golden;
        List<String> expected = fx.strings("/generate/answers");
        long[] ids = g.longs("gen_output_ids");
        float[] stepLogits = g.floats("gen_step_logits");
        float[] first = g.floats("gen_first_step_logits");
        try (NDManager m = blip.manager().newSubManager()) {
            QuestionStates q = fx.questionStates(blip, m);
            // the first step as the golden states it: [DEC] alone, all-ones question mask
            NDArray start = m.create(new long[] {329, 329, 329, 329}, new Shape(4, 1));
            NDArray logits0 = blip.model().decoderLogits(start, null, q.states(), m.ones(q.mask().getShape()), null,
                    false);
            report("gen_first_step_logits", Golden.assertClose("gen_first_step_logits", first,
                    logits0.get(":, 0, :").toFloatArray(), TOL));

            AnswerGenerator gen = new AnswerGenerator(blip.model(), blip.tokenizer(), GenerationOptions.greedy(10, 1));
            RecordingStep[] rec = new RecordingStep[1];
            List<VqaAnswer> answers = gen.generate(q, s -> rec[0] = new RecordingStep(s));
            double worst = 0;
            for (int i = 0; i < 4; i++) {
                assertEquals(expected.get(i), answers.get(i).answer(), "answer " + i);
                assertArrayEquals(Arrays.copyOfRange(ids, i * 10, i * 10 + 10), Arrays.copyOf(answers.get(i).tokens(),
                        10), "ids of question " + i);
                int steps = fx.json.at("/generate/per_question/" + i + "/num_steps").asInt();
                for (int s = 0; s < steps; s++) {
                    worst = Math.max(worst, Golden.assertClose("q" + i + " step " + s,
                            TinyAVqaFixture.row(stepLogits, i * 9 + s, V), rec[0].logits.get(s)[i], TOL));
                }
            }
            report("gen_step_logits", worst);
        }
    }

    @Test
    void beamSearchMatchesTheTransformers415Port() {
        Golden g = fx.golden;
        JsonNode beam = fx.json.at("/generate/beam");
        long[] ids = g.longs("beam_output_ids");
        float[] scores = g.floats("beam_sequence_scores");
        float[] stepLogits = g.floats("beam_step_logits");
        long[] beamIdx = g.longs("beam_step_beam_idx");
        long[] beamTokens = g.longs("beam_step_beam_tokens");
        int steps = beam.get("num_steps").asInt();
        Integer[] doneAt = new Integer[4];
        for (int i = 0; i < 4; i++) {
            JsonNode d = beam.get("done_at_step").get(i);
            doneAt[i] = d.isNull() ? null : d.asInt();
        }
        try (NDManager m = blip.manager().newSubManager()) {
            QuestionStates q = fx.questionStates(blip, m);
            AnswerGenerator gen = new AnswerGenerator(blip.model(), blip.tokenizer(),
                    VqaOptions.defaults().generation());
            RecordingStep[] rec = new RecordingStep[1];
            List<VqaAnswer> answers = gen.generate(q, s -> rec[0] = new RecordingStep(s));
            assertEquals(steps, rec[0].logits.size(), "beam steps");
            double worstScore = 0;
            for (int i = 0; i < 4; i++) {
                assertEquals(beam.get("answers").get(i).asText(), answers.get(i).answer(), "beam answer " + i);
                assertArrayEquals(Arrays.copyOfRange(ids, i * 10, i * 10 + 10), Arrays.copyOf(answers.get(i).tokens(),
                        10), "beam ids of question " + i);
                worstScore = Math.max(worstScore, relative(answers.get(i).score(), scores[i]));
            }
            assertTrue(worstScore <= TOL_SCORE, "sequence scores differ by " + worstScore);
            report("beam_sequence_scores", worstScore);
            double worst = 0;
            for (int s = 0; s < steps; s++) {
                for (int i = 0; i < 4; i++) {
                    if (doneAt[i] != null && s > doneAt[i]) {
                        continue; // rows of a finished question are fed [PAD] and meaningless
                    }
                    for (int j = 0; j < 3; j++) {
                        int r = i * 3 + j;
                        worst = Math.max(worst, Golden.assertClose("beam step " + s + " row " + r,
                                TinyAVqaFixture.row(stepLogits, s * 12 + r, V), rec[0].logits.get(s)[r], TOL));
                        if (s < rec[0].reorders.size()) {
                            assertEquals(beamIdx[s * 12 + r], rec[0].reorders.get(s)[r], "beam_idx step " + s);
                            assertEquals(beamTokens[s * 12 + r], rec[0].feeds.get(s + 1)[r][0], "token step " + s);
                        }
                    }
                }
            }
            report("beam_step_logits", worst);
        }
    }

    @Test
    void rankModeMatches() {
        Golden g = fx.golden;
        List<String> list = fx.answerList();
        AnswerCandidates cands = AnswerCandidates.of(list, blip.tokenizer());
        assertArrayEquals(g.longs("rank_answer_input_ids"), cands.tokens().flatIds());
        float[] probs = g.floats("rank_first_token_probs");
        float[] allScores = g.floats("rank_all_candidate_scores");
        long[] topIds = g.longs("rank_topk_ids");
        float[] topScores = g.floats("rank_topk_scores");
        long[] answerIds = g.longs("rank_answer_ids");
        try (NDManager m = blip.manager().newSubManager()) {
            QuestionStates q = fx.questionStates(blip, m);
            NDArray start = m.create(new long[] {329, 329, 329, 329}, new Shape(4, 1));
            NDArray startLogits = blip.model().decoderLogits(start, null, q.states(), q.mask(), null, false);
            report("rank_start_logits", Golden.assertClose("rank_start_logits", g.floats("rank_start_logits"),
                    startLogits.get(":, 0, :").toFloatArray(), TOL));

            AnswerRanker ranker = new AnswerRanker(blip.model(), blip.tokenizer().specialTokens(), cands, 5);
            float[][] p = ranker.firstTokenProbabilities(q);
            double worstP = 0;
            for (int i = 0; i < 4; i++) {
                for (int c = 0; c < 12; c++) {
                    double e = probs[i * 12 + c];
                    worstP = Math.max(worstP, Math.abs(p[i][c] - e) / e);
                }
            }
            assertTrue(worstP <= TOL_SCORE, "first-token probabilities differ (relative) by " + worstP);
            report("rank_first_token_probs (rel)", worstP);

            List<VqaAnswer> answers = ranker.rank(q);
            double worstS = 0;
            for (int i = 0; i < 4; i++) {
                VqaAnswer a = answers.get(i);
                Set<Long> expected = new TreeSet<>();
                for (int j = 0; j < 5; j++) {
                    expected.add(topIds[i * 5 + j]);
                }
                Set<Long> got = new TreeSet<>();
                for (RankedCandidate c : a.candidates()) {
                    got.add((long) c.index());
                    // the score of a candidate wherever torch put it among ties
                    int slot = indexOf(topIds, i * 5, c.index());
                    worstS = Math.max(worstS, relative(c.score(), topScores[slot]));
                    double e = probs[i * 12 + c.index()];
                    assertEquals(e, c.firstTokenProbability(), TOL_SCORE * e);
                }
                assertEquals(expected, got, "top-5 set of question " + i);
                assertEquals(list.get((int) answerIds[i]), a.answer(), "answer of question " + i);
                assertEquals(fx.json.at("/rank/per_question/" + i + "/answer").asText(), a.answer());
            }
            assertTrue(worstS <= TOL_SCORE, "top-k scores differ by " + worstS);
            report("rank_topk_scores", worstS);

            // every candidate scored (k = list size): independent of the order of ties
            List<VqaAnswer> all = new AnswerRanker(blip.model(), blip.tokenizer().specialTokens(), cands, 128).rank(q);
            double worstAll = 0;
            for (int i = 0; i < 4; i++) {
                assertEquals(12, all.get(i).candidates().size(), "k_test is capped at the list size");
                for (RankedCandidate c : all.get(i).candidates()) {
                    worstAll = Math.max(worstAll, relative(c.score(), allScores[i * 12 + c.index()]));
                }
            }
            assertTrue(worstAll <= TOL_SCORE, "all-candidate scores differ by " + worstAll);
            report("rank_all_candidate_scores", worstAll);
        }
    }

    private static int indexOf(long[] ids, int from, int value) {
        for (int j = from; j < from + 5; j++) {
            if (ids[j] == value) {
                return j;
            }
        }
        throw new AssertionError("candidate " + value + " not in the golden top-k");
    }

    @Test
    void questionsArePreQuestionedByDefault() {
        QuestionEncoder enc = new QuestionEncoder(blip.model(), blip.tokenizer(), true);
        List<String> q = fx.questions();
        for (int i = 0; i < q.size(); i++) {
            assertEquals(fx.json.get("questions").get(i).get("dataset_pre_question_form_not_used").asText(),
                    enc.prepare(q.get(i)), "question " + i);
        }
        assertEquals(q.get(3), new QuestionEncoder(blip.model(), blip.tokenizer(), false).prepare(q.get(3)));
    }

    @Test
    void answererRunsBothModesOnImages() {
        List<String> list = fx.answerList();
        VqaOptions raw = VqaOptions.defaults().withPreQuestion(false).withBatchSize(4);
        VisualQuestionAnswerer gen = new VisualQuestionAnswerer(blip, raw, null);
        List<VqaAnswer> beams = gen.answer(fx.images(), fx.questions());
        assertEquals(fx.strings("/generate/beam/answers"), beams.stream().map(VqaAnswer::answer).toList());
        for (int batch : new int[] {4, 3}) {
            // the true question mask makes 'rank' independent of how questions are batched
            VisualQuestionAnswerer rank = new VisualQuestionAnswerer(blip,
                    raw.withMode(VqaMode.RANK).withKTest(5).withBatchSize(batch), list);
            List<String> ranked = new ArrayList<>();
            for (VqaAnswer a : rank.answer(fx.images(), fx.questions())) {
                ranked.add(a.answer());
            }
            assertEquals(List.of("green", "green", "green", "three"), ranked, "batch size " + batch);
        }
        // one image object asked twice is encoded once and answers like two copies
        var img = fx.images().get(2);
        List<VqaAnswer> twice = gen.answer(List.of(img, img), List.of(fx.questions().get(2), fx.questions().get(2)));
        assertEquals(twice.get(0).answer(), twice.get(1).answer());
        assertEquals(twice.get(0).score(), twice.get(1).score(), 1e-6);
    }

    /**
     * 'generate' attends to padded question positions (the original's all-ones mask), so an answer depends on
     * the longest question of its batch. In the 4-question batch every answer is the official one; alone, question
     * 0 has no padding and answers as it does next to a copy of itself, which differs from its batched answer.
     */
    @Test
    void generateAnswersDependOnBatchPaddingAsInTheOriginal() {
        VqaOptions raw = VqaOptions.defaults().withPreQuestion(false);
        List<String> official = fx.strings("/generate/beam/answers");
        List<String> batched = new VisualQuestionAnswerer(blip, raw.withBatchSize(4), null)
                .answer(fx.images(), fx.questions()).stream().map(VqaAnswer::answer).toList();
        assertEquals(official, batched, "the official batch of 4");

        VisualQuestionAnswerer one = new VisualQuestionAnswerer(blip, raw.withBatchSize(1), null);
        String alone = one.answer(fx.images().get(0), fx.questions().get(0)).answer();
        List<VqaAnswer> pair = new VisualQuestionAnswerer(blip, raw.withBatchSize(2), null).answer(
                List.of(fx.images().get(0), fx.images().get(0)),
                List.of(fx.questions().get(0), fx.questions().get(0)));
        assertEquals(pair.get(0).answer(), alone, "an unpadded batch answers as the question alone");
        assertNotEquals(official.get(0), alone, "padding in the official batch changes question 0's answer");
    }
}
