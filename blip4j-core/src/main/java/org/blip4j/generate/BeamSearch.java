package org.blip4j.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * transformers-4.15 beam_search with BeamSearchScorer ({@code generation_utils.py}, as called by orig
 * {@code BLIP_Decoder.generate}): log-softmax scores, processors, running beam scores (0 for beam 0, −1e9 for the
 * others at the start), top 2·beams candidates per input, EOS candidates among the first {@code beams} ranks close
 * hypotheses, the early-stopping heuristic, and finalisation.
 */
final class BeamSearch {
    private BeamSearch() {
    }

    /** BeamHypotheses: the best {@code beams} finished sequences of one input. */
    static final class Hypotheses {
        final int beams;
        final double lengthPenalty;
        final boolean earlyStopping;
        final List<Hypothesis> list = new ArrayList<>();
        double worstScore = 1e9;

        Hypotheses(int beams, double lengthPenalty, boolean earlyStopping) {
            this.beams = beams;
            this.lengthPenalty = lengthPenalty;
            this.earlyStopping = earlyStopping;
        }

        void add(long[] tokens, double sumLogprobs) {
            double score = sumLogprobs / Math.pow(tokens.length, lengthPenalty);
            if (list.size() < beams || score > worstScore) {
                list.add(new Hypothesis(tokens, score));
                if (list.size() > beams) {
                    // drop the worst (ties: the earliest added), as sorted((s, idx)) does
                    int worst = 0;
                    for (int i = 1; i < list.size(); i++) {
                        if (list.get(i).score() < list.get(worst).score()) {
                            worst = i;
                        }
                    }
                    list.remove(worst);
                    worstScore = list.stream().mapToDouble(Hypothesis::score).min().orElse(1e9);
                } else {
                    worstScore = Math.min(score, worstScore);
                }
            }
        }

        boolean isDone(double bestSumLogprobs, int curLen) {
            if (list.size() < beams) {
                return false;
            }
            if (earlyStopping) {
                return true;
            }
            return worstScore >= bestSumLogprobs / Math.pow(curLen, lengthPenalty);
        }
    }

    static List<List<Hypothesis>> run(StepFunction step, long[] prompt, int inputs, int eos, int pad,
            GenerationOptions o) {
        int k = o.numBeams();
        int rows = inputs * k;
        long[][] seqs = Generator.promptRows(prompt, rows, o.maxLength());
        double[] beamScores = new double[rows];
        for (int r = 0; r < rows; r++) {
            beamScores[r] = r % k == 0 ? 0 : -1e9;
        }
        Hypotheses[] hyps = new Hypotheses[inputs];
        boolean[] done = new boolean[inputs];
        for (int b = 0; b < inputs; b++) {
            hyps[b] = new Hypotheses(k, o.lengthPenalty(), o.earlyStopping());
        }
        int curLen = prompt.length;
        long[][] feed = Generator.firstFeed(prompt, rows);
        while (true) {
            float[][] logits = step.step(feed);
            int vocab = logits[0].length;
            float[][] scores = new float[rows][];
            long[][] rowSeqs = seqs;
            int len = curLen;
            // rows are independent and each is a pass over the vocabulary: spread over the cores, which the model
            // leaves idle between steps
            IntStream.range(0, rows).parallel().forEach(r -> {
                float[] s = LogitsProcessing.logSoftmax(logits[r]);
                LogitsProcessing.repetitionPenalty(s, rowSeqs[r], len, o.repetitionPenalty());
                LogitsProcessing.minLength(s, len, o.minLength(), eos, o.suppressEos());
                scores[r] = s;
            });
            double[] nextBeamScores = new double[rows];
            long[] nextTokens = new long[rows];
            int[] nextRows = new int[rows];
            for (int b = 0; b < inputs; b++) {
                if (done[b]) {
                    for (int j = 0; j < k; j++) {
                        nextBeamScores[b * k + j] = 0;
                        nextTokens[b * k + j] = pad;
                        nextRows[b * k + j] = b * k;
                    }
                    continue;
                }
                int[][] cand = topCandidates(scores, beamScores, b, k, vocab, 2 * k);
                int beamIdx = 0;
                for (int rank = 0; rank < cand.length; rank++) {
                    int row = b * k + cand[rank][0];
                    int token = cand[rank][1];
                    double score = beamScores[row] + scores[row][token];
                    if (token == eos) {
                        if (rank >= k) {
                            continue;
                        }
                        hyps[b].add(Arrays.copyOf(seqs[row], curLen), score);
                    } else {
                        nextBeamScores[b * k + beamIdx] = score;
                        nextTokens[b * k + beamIdx] = token;
                        nextRows[b * k + beamIdx] = row;
                        beamIdx++;
                    }
                    if (beamIdx == k) {
                        break;
                    }
                }
                // is_done uses the best of all 2k candidate scores (next_scores[batch].max()): candidates are sorted
                double best = beamScores[b * k + cand[0][0]] + scores[b * k + cand[0][0]][cand[0][1]];
                done[b] = done[b] || hyps[b].isDone(best, curLen);
            }
            long[][] newSeqs = new long[rows][];
            for (int r = 0; r < rows; r++) {
                newSeqs[r] = seqs[nextRows[r]].clone();
                newSeqs[r][curLen] = nextTokens[r];
            }
            seqs = newSeqs;
            beamScores = nextBeamScores;
            curLen++;
            boolean allDone = true;
            for (boolean d : done) {
                allDone &= d;
            }
            if (allDone || curLen >= o.maxLength()) {
                break;
            }
            step.reorder(nextRows);
            feed = new long[rows][1];
            for (int r = 0; r < rows; r++) {
                feed[r][0] = nextTokens[r];
            }
        }
        return finish(hyps, done, seqs, beamScores, curLen, inputs, k, eos, o);
    }

    /** The best {@code n} (row-in-input, token) pairs of one input by running score + token score, sorted. */
    private static int[][] topCandidates(float[][] scores, double[] beamScores, int b, int k, int vocab, int n) {
        // a bounded min-heap over (score, flat index); ties resolved towards the lower flat index like torch.topk
        java.util.PriorityQueue<double[]> heap = new java.util.PriorityQueue<>(
                Comparator.<double[]>comparingDouble(a -> a[0]).thenComparing(a -> -a[1]));
        for (int j = 0; j < k; j++) {
            int row = b * k + j;
            float[] s = scores[row];
            double base = beamScores[row];
            for (int t = 0; t < vocab; t++) {
                double v = base + s[t];
                if (heap.size() < n) {
                    heap.add(new double[] {v, (double) j * vocab + t});
                } else if (v > heap.peek()[0]) {
                    heap.poll();
                    heap.add(new double[] {v, (double) j * vocab + t});
                }
            }
        }
        List<double[]> sorted = new ArrayList<>(heap);
        sorted.sort(Comparator.<double[]>comparingDouble(a -> -a[0]).thenComparingDouble(a -> a[1]));
        int[][] out = new int[sorted.size()][2];
        for (int i = 0; i < out.length; i++) {
            long flat = (long) sorted.get(i)[1];
            out[i][0] = (int) (flat / vocab);
            out[i][1] = (int) (flat % vocab);
        }
        return out;
    }

    private static List<List<Hypothesis>> finish(Hypotheses[] hyps, boolean[] done, long[][] seqs,
            double[] beamScores, int curLen, int inputs, int k, int eos, GenerationOptions o) {
        for (int b = 0; b < inputs; b++) {
            if (done[b]) {
                continue;
            }
            for (int j = 0; j < k; j++) {
                int row = b * k + j;
                hyps[b].add(Arrays.copyOf(seqs[row], curLen), beamScores[row]);
            }
        }
        List<List<Hypothesis>> out = new ArrayList<>();
        for (int b = 0; b < inputs; b++) {
            // stable ascending sort, then pop from the end: among equal scores the last added wins
            List<Hypothesis> sorted = new ArrayList<>(hyps[b].list);
            sorted.sort(Comparator.comparingDouble(Hypothesis::score));
            List<Hypothesis> best = new ArrayList<>();
            for (int i = 0; i < o.numReturnSequences(); i++) {
                Hypothesis h = sorted.remove(sorted.size() - 1);
                long[] tokens = h.tokens();
                if (tokens.length < o.maxLength()) {
                    tokens = Arrays.copyOf(tokens, tokens.length + 1);
                    tokens[tokens.length - 1] = eos;
                }
                best.add(new Hypothesis(tokens, h.score()));
            }
            out.add(best);
        }
        return out;
    }
}
