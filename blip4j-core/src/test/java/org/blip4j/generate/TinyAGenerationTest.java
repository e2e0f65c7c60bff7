package org.blip4j.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.blip4j.engine.Engines;
import org.blip4j.model.BlipModel;
import org.blip4j.testutil.Fixtures;
import org.blip4j.testutil.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Greedy captioning parity with the official decoder on tiny-a, and cache/beam invariants on the real model. */
class TinyAGenerationTest {
    static NDManager manager;
    static BlipModel model;
    static Golden golden;
    static final int SEP = 3;
    static final int PAD = 0;

    @BeforeAll
    static void load() throws Exception {
        manager = Engines.newManager(Engines.device("cpu"));
        model = Fixtures.loadTinyAModel(manager);
        golden = Golden.tinyA();
    }

    @AfterAll
    static void close() {
        model.close();
        manager.close();
    }

    /** Records the raw logits of every step. */
    static final class Recording implements StepFunction {
        final StepFunction inner;
        final List<float[][]> steps = new ArrayList<>();

        Recording(StepFunction inner) {
            this.inner = inner;
        }

        @Override
        public float[][] step(long[][] t) {
            float[][] l = inner.step(t);
            steps.add(l);
            return l;
        }

        @Override
        public void reorder(int[] rows) {
            inner.reorder(rows);
        }
    }

    @Test
    void greedyMatchesGolden() {
        for (String set : new String[] {"gen", "gen_min10"}) {
            int minLength = set.equals("gen") ? 5 : 10;
            try (NDManager m = manager.newSubManager()) {
                NDArray emb = golden.get("image_embeds", m);
                long[] prompt = golden.longs(set + "_prompt_ids");
                try (DecoderStepProvider.DecoderSession step = DecoderStepProvider.open(model, emb, null, 1, true)) {
                    Recording rec = new Recording(step);
                    var out = Generator.generate(rec, prompt, 4, SEP, PAD, GenerationOptions.greedy(20, minLength),
                            null);
                    long[] expected = golden.longs(set + "_output_ids");
                    float[] stepLogits = golden.floats(set + "_step_logits");
                    long[] top5 = golden.longs(set + "_top5_ids");
                    float[] top5Scores = golden.floats(set + "_top5_scores");
                    int vocab = 331;
                    for (int i = 0; i < 4; i++) {
                        long[] tokens = out.get(i).get(0).tokens();
                        long[] padded = Arrays.copyOf(tokens, 20);
                        assertArrayEquals(Arrays.copyOfRange(expected, i * 20, i * 20 + 20), padded, set + " image " + i);
                        for (int s = 0; s < rec.steps.size(); s++) {
                            float[] exp = Arrays.copyOfRange(stepLogits, (i * 16 + s) * vocab, (i * 16 + s + 1) * vocab);
                            Golden.assertClose(set + " step " + s, exp, rec.steps.get(s)[i], 1e-4);
                        }
                        for (int s = 0; s < 3; s++) {
                            float[] processed = rec.steps.get(s)[i].clone();
                            LogitsProcessing.minLength(processed, prompt.length + s, minLength, SEP, false);
                            Integer[] order = new Integer[vocab];
                            for (int v = 0; v < vocab; v++) {
                                order[v] = v;
                            }
                            Arrays.sort(order, (a, b) -> Float.compare(processed[b], processed[a]));
                            for (int r = 0; r < 5; r++) {
                                int g = (i * 3 + s) * 5 + r;
                                assertEquals(top5[g], (long) order[r], set + " top5 id");
                                Golden.assertClose("top5 score", new float[] {top5Scores[g]},
                                        new float[] {processed[order[r]]}, 1e-4);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void crossAttentionCacheChangesNothing() {
        try (NDManager m = manager.newSubManager()) {
            NDArray emb = golden.get("image_embeds", m);
            long[] prompt = golden.longs("gen_prompt_ids");
            GenerationOptions o = GenerationOptions.beam(3, 20, 5);
            List<List<Hypothesis>> cached;
            List<List<Hypothesis>> plain;
            try (DecoderStepProvider.DecoderSession step = DecoderStepProvider.open(model, emb, null, 3, true)) {
                cached = Generator.generate(step, prompt, 4, SEP, PAD, o, null);
            }
            try (DecoderStepProvider.DecoderSession step = DecoderStepProvider.open(model, emb, null, 3, false)) {
                plain = Generator.generate(step, prompt, 4, SEP, PAD, o, null);
            }
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(plain.get(i).get(0).tokens(), cached.get(i).get(0).tokens());
                assertEquals(plain.get(i).get(0).score(), cached.get(i).get(0).score(), 1e-5);
            }
        }
    }

    @Test
    void oneBeamEqualsGreedyAndSeededSamplesReproduce() {
        try (NDManager m = manager.newSubManager()) {
            NDArray emb = golden.get("image_embeds", m);
            long[] prompt = golden.longs("gen_prompt_ids");
            List<List<Hypothesis>> greedy;
            List<List<Hypothesis>> beam1;
            try (DecoderStepProvider.DecoderSession step = DecoderStepProvider.open(model, emb, null, 1, true)) {
                greedy = Generator.generate(step, prompt, 4, SEP, PAD, GenerationOptions.greedy(20, 5), null);
            }
            try (DecoderStepProvider.DecoderSession step = DecoderStepProvider.open(model, emb, null, 1, true)) {
                beam1 = Generator.generate(step, prompt, 4, SEP, PAD, GenerationOptions.beam(1, 20, 5), null);
            }
            GenerationOptions s = GenerationOptions.nucleus(0.9, 20, 5, 123).withNumReturnSequences(2);
            List<List<Hypothesis>> a;
            List<List<Hypothesis>> b;
            try (DecoderStepProvider.DecoderSession step = DecoderStepProvider.open(model, emb, null, 2, true)) {
                a = Generator.generate(step, prompt, 4, SEP, PAD, s, null);
            }
            try (DecoderStepProvider.DecoderSession step = DecoderStepProvider.open(model, emb, null, 2, false)) {
                b = Generator.generate(step, prompt, 4, SEP, PAD, s, null);
            }
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(greedy.get(i).get(0).tokens(), beam1.get(i).get(0).tokens());
                for (int j = 0; j < 2; j++) {
                    assertArrayEquals(a.get(i).get(j).tokens(), b.get(i).get(j).tokens());
                }
            }
        }
    }
}
