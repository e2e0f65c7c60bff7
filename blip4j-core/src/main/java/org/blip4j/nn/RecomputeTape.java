package org.blip4j.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Gradient checkpointing (what fairscale's {@code checkpoint_wrapper} does for BLIP's ViT, {@code models/vit.py}
 * with {@code use_grad_checkpointing}) on an engine that has no {@code torch.utils.checkpoint}.
 *
 * <p>During the forward pass a checkpointed run of steps is executed with autograd recording off: only each step's
 * input is kept (one activation tensor per step instead of everything the step's backward needs). Its output
 * enters the rest of the graph as a fresh leaf. After the caller's ordinary backward has filled that leaf's
 * gradient, {@link #backward()} walks the steps in reverse: it re-runs each step's forward from its kept input
 * with recording on, back-propagates the incoming gradient through it (parameter gradients accumulate as usual)
 * and passes the gradient of the step's input on; the last one is fed into the graph in front of the segment. The
 * steps see the same randomness in both runs through the {@link Replay} they are given.
 *
 * <p>One tape per training micro-step and thread ({@link #open()}); code that finds no open tape, or runs with
 * recording off, takes the plain path. The caller must call {@link #backward()} right after its own backward.
 */
public final class RecomputeTape implements AutoCloseable {
    private static final ThreadLocal<RecomputeTape> CURRENT = new ThreadLocal<>();

    private final List<Segment> segments = new ArrayList<>();
    private final RecomputeTape outer;
    private boolean backwardDone;

    private RecomputeTape(RecomputeTape outer) {
        this.outer = outer;
    }

    /** Opens the tape for this thread; checkpointed code running before {@link #close()} records on it. */
    public static RecomputeTape open() {
        RecomputeTape t = new RecomputeTape(CURRENT.get());
        CURRENT.set(t);
        return t;
    }

    /** The tape open on this thread while autograd is recording, else null (then run the plain path). */
    public static RecomputeTape active() {
        RecomputeTape t = CURRENT.get();
        return t != null && !t.backwardDone && JniUtils.isGradMode() ? t : null;
    }

    /** Checkpointed segments recorded so far. */
    public int segments() {
        return segments.size();
    }

    /**
     * Runs {@code steps} one after another on {@code input} without recording, keeping each step's input;
     * returns the output as a gradient-requiring leaf that the rest of the forward pass uses.
     */
    public NDArray run(NDArray input, List<BiFunction<NDArray, Replay, NDArray>> steps) {
        Segment s = new Segment(input, steps);
        JniUtils.setGradMode(false);
        try {
            // a copy made with recording off: DJL's stopGradient would detach the input itself from its graph
            NDArray x = input.duplicate();
            for (BiFunction<NDArray, Replay, NDArray> step : steps) {
                Replay r = new Replay();
                s.inputs.add(x);
                s.replays.add(r);
                NDArray in = x;
                x = Scoped.run(() -> step.apply(in, r));
                r.recording = false;
            }
            x.setRequiresGradient(true);
            s.output = x;
            segments.add(s);
            return x;
        } finally {
            JniUtils.setGradMode(true);
        }
    }

    /** Recomputes every segment with recording on and back-propagates through it, last segment first. */
    public void backward() {
        if (backwardDone) {
            throw new IllegalStateException("RecomputeTape.backward called twice");
        }
        backwardDone = true;
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
        try {
            for (int i = segments.size() - 1; i >= 0; i--) {
                segments.get(i).backward();
            }
        } finally {
            JniUtils.setGradMode(was);
        }
    }

    @Override
    public void close() {
        for (Segment s : segments) {
            s.replays.forEach(Replay::close);
        }
        segments.clear();
        CURRENT.set(outer);
    }

    /**
     * Random tensors a step draws (drop-path masks): drawn and kept in the first run, handed back in the same order
     * in the recomputation, so that both runs compute the same function.
     */
    public static final class Replay implements AutoCloseable {
        private final List<NDArray> kept = new ArrayList<>();
        private boolean recording = true;
        private int next;

        /** The first run's tensor from {@code draw}, or the recorded one when recomputing. */
        public NDArray random(java.util.function.Supplier<NDArray> draw) {
            if (recording) {
                NDArray r = draw.get();
                NDScope.unregister(r); // outlives the step's scope until the tape closes
                kept.add(r);
                return r;
            }
            return kept.get(next++);
        }

        @Override
        public void close() {
            kept.forEach(NDArray::close);
            kept.clear();
        }
    }

    /** Whether back-propagating into {@code x} reaches anything (DJL's requiresGrad is false for non-leaves). */
    static boolean inGraph(NDArray x) {
        String fn = JniUtils.getGradientFunctionNames((PtNDArray) x);
        return JniUtils.requiresGrad((PtNDArray) x) || fn != null && !fn.isEmpty();
    }

    private static final class Segment {
        private final NDArray input;
        private final List<BiFunction<NDArray, Replay, NDArray>> steps;
        private final List<NDArray> inputs = new ArrayList<>();
        private final List<Replay> replays = new ArrayList<>();
        private NDArray output;

        Segment(NDArray input, List<BiFunction<NDArray, Replay, NDArray>> steps) {
            this.input = input;
            this.steps = steps;
        }

        void backward() {
            if (!output.hasGradient()) {
                return;
            }
            NDArray grad = output.getGradient().duplicate();
            NDScope.unregister(grad);
            for (int i = steps.size() - 1; i >= 0; i--) {
                NDArray in = inputs.get(i);
                in.setRequiresGradient(true);
                NDArray next;
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray out = steps.get(i).apply(in, replays.get(i));
                    JniUtils.backward((PtNDArray) out, (PtNDArray) grad, false, false);
                    next = in.getGradient().duplicate();
                    NDScope.unregister(next);
                }
                grad.close();
                grad = next;
            }
            if (inGraph(input)) {
                // the segment's input is a node of the graph in front of it, not back-propagated yet
                JniUtils.backward((PtNDArray) input, (PtNDArray) grad, false, false);
            }
            grad.close();
        }
    }
}
