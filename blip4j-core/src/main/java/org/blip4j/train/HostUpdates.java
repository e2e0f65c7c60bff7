package org.blip4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;

/**
 * Element-wise parameter updates (AdamW, the momentum encoders' moving average) as one pass over the tensors' own
 * memory on the CPU, instead of a chain of libtorch operations. DJL exposes no fused or in-place
 * {@code addcmul_}/{@code addcdiv_}/{@code lerp_}, so the chain allocates and fills a fresh tensor per operation:
 * about a dozen passes over every parameter per step, against one here (docs/BENCHMARKS.md, "Pre-training step").
 * Each element is computed with the same float operations in the same order as the chain, so results are the same
 * up to the last bit except where libtorch's vector kernels contract a multiply-add.
 *
 * <p>The loops run natively ({@link NativeUpdates}) where the library loads, with the same bits; otherwise in Java.
 * Used only for contiguous fp32 tensors on the CPU whose memory DJL can expose as a direct view ({@link #view});
 * anything else keeps the libtorch path.
 */
final class HostUpdates {
    /** Large tensors are split into chunks that the common fork-join pool updates in parallel. */
    private static final int CHUNK = 1 << 18;
    /**
     * Each chunk is processed in tiles copied to per-thread arrays: the JIT vectorises loops over Java arrays but
     * not over buffer views, and a tile stays in L1. Same float operations in the same order, so the same bits.
     */
    private static final int TILE = 2048;
    private static final ThreadLocal<float[][]> TILES = ThreadLocal.withInitial(() -> new float[4][TILE]);

    private HostUpdates() {
    }

    /**
     * The tensor's memory as a float view, or null when it has none: not on the CPU, not fp32, or not contiguous
     * (DJL then hands out a copy, which this checks by writing through the view once).
     */
    static FloatBuffer view(NDArray a) {
        if (!(a instanceof PtNDArray pt) || !"cpu".equals(a.getDevice().getDeviceType())
                || a.getDataType() != DataType.FLOAT32 || a.size() == 0 || a.size() > Integer.MAX_VALUE) {
            return null;
        }
        var bytes = pt.toByteBuffer(true);
        if (!bytes.isDirect() || bytes.capacity() != a.size() * 4L) {
            return null;
        }
        FloatBuffer f = bytes.order(ByteOrder.nativeOrder()).asFloatBuffer();
        float first = f.get(0);
        float probe = first == 1f ? 2f : 1f;
        f.put(0, probe);
        boolean shared = a.reshape(-1).getFloat(0) == probe;
        f.put(0, first);
        return shared ? f : null;
    }

    /** The AdamW coefficients of one step (torch.optim.AdamW). */
    record AdamWStep(float decay, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
            float sqrtBiasCorrection2, float eps, float stepSize) {
    }

    /**
     * w ← w·decay; m ← m·β1 + g·(1−β1); v ← v·β2 + g·g·(1−β2); w ← w − (m / (√v / √bc2 + ε))·stepSize, in the
     * order of the libtorch chain in {@link AdamW}.
     */
    static void adamw(FloatBuffer w, FloatBuffer g, FloatBuffer m, FloatBuffer v, AdamWStep s) {
        if (NativeUpdates.available()) {
            forChunks(sameLength(w, g, m, v), (from, to) -> NativeUpdates.adamw(w, g, m, v, from, to, s.decay(),
                    s.beta1(), s.oneMinusBeta1(), s.beta2(), s.oneMinusBeta2(), s.sqrtBiasCorrection2(), s.eps(),
                    s.stepSize()));
        } else {
            adamwInJava(w, g, m, v, s);
        }
    }

    /** {@link #adamw} in Java: the fallback, and the reference the native loop is tested against. */
    static void adamwInJava(FloatBuffer w, FloatBuffer g, FloatBuffer m, FloatBuffer v, AdamWStep s) {
        inTiles(new FloatBuffer[] {w, m, v, g}, 3, (t, n) -> {
            float[] tw = t[0];
            float[] tm = t[1];
            float[] tv = t[2];
            float[] tg = t[3];
            for (int i = 0; i < n; i++) {
                float gi = tg[i];
                float mi = tm[i] * s.beta1() + gi * s.oneMinusBeta1();
                float vi = tv[i] * s.beta2() + gi * gi * s.oneMinusBeta2();
                float denom = (float) Math.sqrt(vi) / s.sqrtBiasCorrection2() + s.eps();
                tm[i] = mi;
                tv[i] = vi;
                tw[i] = tw[i] * s.decay() - mi / denom * s.stepSize();
            }
        });
    }

    /** target ← target·keep + source·(1 − keep) (the momentum encoders' update). */
    static void movingAverage(FloatBuffer target, FloatBuffer source, float keep, float take) {
        if (NativeUpdates.available()) {
            forChunks(sameLength(target, source),
                    (from, to) -> NativeUpdates.movingAverage(target, source, from, to, keep, take));
        } else {
            movingAverageInJava(target, source, keep, take);
        }
    }

    /** {@link #movingAverage} in Java. */
    static void movingAverageInJava(FloatBuffer target, FloatBuffer source, float keep, float take) {
        inTiles(new FloatBuffer[] {target, source}, 1, (t, n) -> {
            float[] tt = t[0];
            float[] ts = t[1];
            for (int i = 0; i < n; i++) {
                tt[i] = tt[i] * keep + ts[i] * take;
            }
        });
    }

    /** An element-wise update of the first {@code n} values of each tile, in place. */
    private interface TileKernel {
        void run(float[][] tiles, int n);
    }

    /**
     * Runs {@code kernel} over equally long buffers tile by tile: tile k holds buffer k's values, and the first
     * {@code written} buffers get their tiles back.
     */
    private static void inTiles(FloatBuffer[] buffers, int written, TileKernel kernel) {
        forChunks(sameLength(buffers), (from, to) -> {
            float[][] t = TILES.get();
            for (int at = from; at < to; at += TILE) {
                int n = Math.min(TILE, to - at);
                for (int k = 0; k < buffers.length; k++) {
                    buffers[k].get(at, t[k], 0, n);
                }
                kernel.run(t, n);
                for (int k = 0; k < written; k++) {
                    buffers[k].put(at, t[k], 0, n);
                }
            }
        });
    }

    /** The common length of buffers that an update reads and writes element by element. */
    private static int sameLength(FloatBuffer... buffers) {
        int n = buffers[0].capacity();
        for (FloatBuffer b : buffers) {
            if (b.capacity() != n) {
                throw new IllegalArgumentException("parameter update over tensors of " + n + " and "
                        + b.capacity() + " elements");
            }
        }
        return n;
    }

    private interface Range {
        void run(int from, int to);
    }

    private static void forChunks(int n, Range body) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        IntStream.range(0, chunks).parallel().forEach(c -> body.run(c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
    }
}
