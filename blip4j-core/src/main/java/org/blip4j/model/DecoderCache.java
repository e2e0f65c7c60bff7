package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.NDArrays;

/**
 * Key/value cache for incremental decoding. Self-attention keys/values grow by one position per step;
 * cross-attention keys/values depend only on the encoder states, so they are computed once and reused (the
 * official code recomputes them every step, orig {@code models/med.py} {@code BertSelfAttention.forward} — same
 * numbers, less work).
 */
public final class DecoderCache {
    private final NDArray[] selfK;
    private final NDArray[] selfV;
    private final NDArray[] crossK;
    private final NDArray[] crossV;
    private final boolean cacheCross;
    private int length;

    /**
     * @param cacheCrossAttention keep each layer's cross-attention keys/values after the first step; required when
     *     several consecutive decoder rows share one encoder row (beams or samples of one image)
     */
    public DecoderCache(int layers, boolean cacheCrossAttention) {
        selfK = new NDArray[layers];
        selfV = new NDArray[layers];
        crossK = new NDArray[layers];
        crossV = new NDArray[layers];
        cacheCross = cacheCrossAttention;
    }

    /**
     * Takes layer {@code layer}'s cached arrays out of every {@link NDScope}: the cache owns them and closes them
     * when they are replaced or on {@link #close()}. Called inside the per-layer scope that created them, so each
     * step touches only that layer's arrays.
     */
    void retainLayer(int layer) {
        for (NDArray a : new NDArray[] {selfK[layer], selfV[layer], crossK[layer], crossV[layer]}) {
            if (a != null) {
                NDScope.unregister(a);
            }
        }
    }

    /** Number of positions already cached. */
    public int length() {
        return length;
    }

    void advance(int steps) {
        length += steps;
    }

    NDArray[] appendSelf(int layer, NDArray k, NDArray v) {
        if (selfK[layer] == null) {
            selfK[layer] = k;
            selfV[layer] = v;
        } else {
            NDArray oldK = selfK[layer];
            NDArray oldV = selfV[layer];
            selfK[layer] = NDArrays.concat(new NDList(oldK, k), 2);
            selfV[layer] = NDArrays.concat(new NDList(oldV, v), 2);
            oldK.close();
            oldV.close();
        }
        return new NDArray[] {selfK[layer], selfV[layer]};
    }

    NDArray crossK(int layer) {
        return crossK[layer];
    }

    NDArray crossV(int layer) {
        return crossV[layer];
    }

    void putCross(int layer, NDArray k, NDArray v) {
        if (cacheCross) {
            crossK[layer] = k;
            crossV[layer] = v;
        }
    }

    /** Reorders the batch axis (beam search): row i of the result is row {@code index[i]} of the cache. */
    public void reorder(NDArray index) {
        for (int i = 0; i < selfK.length; i++) {
            if (selfK[i] != null) {
                NDArray oldK = selfK[i];
                NDArray oldV = selfV[i];
                selfK[i] = oldK.get(index);
                selfV[i] = oldV.get(index);
                NDScope.unregister(selfK[i], selfV[i]);
                oldK.close();
                oldV.close();
            }
        }
    }

    /** Closes every cached array. */
    public void close() {
        for (NDArray a : arrays()) {
            a.close();
        }
    }

    /** All arrays held. */
    NDList arrays() {
        NDList list = new NDList();
        for (NDArray[] group : new NDArray[][] {selfK, selfV, crossK, crossV}) {
            for (NDArray a : group) {
                if (a != null) {
                    list.add(a);
                }
            }
        }
        return list;
    }
}
