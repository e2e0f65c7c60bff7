package org.blip4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;

/**
 * Key/value cache for incremental decoding. Self-attention keys/values grow by one position per step;
 * cross-attention keys/values depend only on the encoder states, so they are computed once and reused (the
 * official code recomputes them every step, blip-spec §3.5 — same numbers, less work).
 */
public final class DecoderCache {
    private final NDArray[] selfK;
    private final NDArray[] selfV;
    private final NDArray[] crossK;
    private final NDArray[] crossV;
    private final boolean cacheCross;
    private int length;

    public DecoderCache(int layers, boolean cacheCrossAttention) {
        selfK = new NDArray[layers];
        selfV = new NDArray[layers];
        crossK = new NDArray[layers];
        crossV = new NDArray[layers];
        cacheCross = cacheCrossAttention;
    }

    /** Number of positions already cached. */
    public int length() {
        return length;
    }

    public boolean cachesCrossAttention() {
        return cacheCross;
    }

    void advance(int steps) {
        length += steps;
    }

    NDArray[] appendSelf(int layer, NDArray k, NDArray v) {
        if (selfK[layer] == null) {
            selfK[layer] = k;
            selfV[layer] = v;
        } else {
            selfK[layer] = NDArrays.concat(new NDList(selfK[layer], k), 2);
            selfV[layer] = NDArrays.concat(new NDList(selfV[layer], v), 2);
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
                selfK[i] = selfK[i].get(index);
                selfV[i] = selfV[i].get(index);
            }
        }
    }

    /** Reorders cached cross-attention keys/values too (only when the encoder rows themselves move). */
    public void reorderCross(NDArray index) {
        for (int i = 0; i < crossK.length; i++) {
            if (crossK[i] != null) {
                crossK[i] = crossK[i].get(index);
                crossV[i] = crossV[i].get(index);
            }
        }
    }

    /** All arrays held, so a caller can keep them alive across scopes. */
    public NDList arrays() {
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
