package org.blip4j.nn;

import ai.djl.ndarray.NDArray;

/** Small tensor helpers shared by the modules. */
public final class Ops {
    private Ops() {
    }

    /** Exact (erf) GELU, as nn.GELU / F.gelu. */
    public static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    public static NDArray dropout(NDArray x, double rate, boolean training) {
        if (!training || rate <= 0) {
            return x;
        }
        return ai.djl.nn.norm.Dropout.dropout(x, (float) rate, true).singletonOrThrow();
    }

    /** (B, L, H·d) → (B, H, L, d). */
    public static NDArray splitHeads(NDArray x, int heads) {
        long b = x.getShape().get(0);
        long l = x.getShape().get(1);
        long d = x.getShape().get(2) / heads;
        return x.reshape(b, l, heads, d).transpose(0, 2, 1, 3);
    }

    /** (B, H, L, d) → (B, L, H·d). */
    public static NDArray mergeHeads(NDArray x) {
        long b = x.getShape().get(0);
        long h = x.getShape().get(1);
        long l = x.getShape().get(2);
        long d = x.getShape().get(3);
        return x.transpose(0, 2, 1, 3).reshape(b, l, h * d);
    }

    /** softmax(q·kᵀ·scale + mask)·v with optional additive mask broadcastable to (B, H, Lq, Lk). */
    public static NDArray attention(NDArray q, NDArray k, NDArray v, NDArray additiveMask, double dropout,
            boolean training) {
        double scale = 1.0 / Math.sqrt(q.getShape().get(3));
        NDArray scores = mul(q.matMul(k.transpose(0, 1, 3, 2)), scale);
        if (additiveMask != null) {
            scores = scores.add(additiveMask);
        }
        NDArray probs = dropout(scores.softmax(-1), dropout, training);
        return probs.matMul(v);
    }

    /**
     * Attention where keys/values are shared by groups of consecutive query rows: q (B·g, H, L, d) against
     * k, v (B, H, N, d). Beams of one image share its cross-attention keys/values without copying them.
     */
    public static NDArray groupedAttention(NDArray q, NDArray k, NDArray v, NDArray additiveMask, int group,
            double dropout, boolean training) {
        if (group == 1) {
            return attention(q, k, v, additiveMask, dropout, training);
        }
        ai.djl.ndarray.types.Shape qs = q.getShape();
        long b = k.getShape().get(0);
        NDArray qg = q.reshape(b, group, qs.get(1), qs.get(2), qs.get(3));
        NDArray kg = k.expandDims(1);
        NDArray vg = v.expandDims(1);
        double scale = 1.0 / Math.sqrt(qs.get(3));
        NDArray scores = mul(qg.matMul(kg.transpose(0, 1, 2, 4, 3)), scale);
        if (additiveMask != null) {
            scores = scores.add(additiveMask.expandDims(1));
        }
        return dropout(scores.softmax(-1), dropout, training).matMul(vg).reshape(qs);
    }

    /** L2 normalisation along the last axis, as F.normalize(eps=1e-12). */
    public static NDArray l2Normalize(NDArray x) {
        NDArray norm = maximum(x.norm(new int[] {-1}, true), 1e-12);
        return x.div(norm);
    }

    // Scalar arithmetic for anything autograd may differentiate. DJL's x.mul(Number) (likewise div, maximum,
    // pow) wraps the number in a tensor backed by a Java direct buffer and closes it right after the op; autograd
    // keeps that tensor for the backward pass, so once a GC reclaims the buffer the backward reads freed memory
    // (seen as rare, GC-timing-dependent wrong gradients). A torch-allocated scalar is reference-counted instead.

    /** x · v, safe under autograd. */
    public static NDArray mul(NDArray x, double v) {
        try (NDArray s = scalar(x, v)) {
            return x.mul(s);
        }
    }

    /** x / v, safe under autograd. */
    public static NDArray div(NDArray x, double v) {
        try (NDArray s = scalar(x, v)) {
            return x.div(s);
        }
    }

    /** max(x, v) elementwise, safe under autograd. */
    public static NDArray maximum(NDArray x, double v) {
        try (NDArray s = scalar(x, v)) {
            return x.maximum(s);
        }
    }

    /** A 0-d tensor of x's type whose storage torch allocates (not a wrapped Java buffer). */
    private static NDArray scalar(NDArray like, double v) {
        return like.getManager().full(new ai.djl.ndarray.types.Shape(), (float) v, like.getDataType());
    }
}
