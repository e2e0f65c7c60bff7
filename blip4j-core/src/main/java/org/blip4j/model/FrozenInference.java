package org.blip4j.model;

import ai.djl.ndarray.NDArray;

/**
 * A faster engine for a model whose weights no longer change (inference): {@link BlipModel} hands its no-gradient
 * forwards to it. Implementations snapshot the weights when they are built, so they must never be attached to a
 * model that is being trained.
 */
public interface FrozenInference extends AutoCloseable {
    /** pixels (B, 3, S, S) → image embeddings (B, 1+N, Dv). */
    NDArray imageEmbeds(NDArray pixels);

    /** Unimodal text hidden states (B, L, H). */
    NDArray textHidden(NDArray ids, NDArray mask);

    /** The first ([CLS]) position of {@link #textHidden}, (B, H): all that ITC reads. */
    default NDArray textCls(NDArray ids, NDArray mask) {
        return BlipModel.cls(textHidden(ids, mask));
    }

    /** Image-grounded encoder hidden states (B, L, H); image rows may be shared by consecutive text rows. */
    NDArray groundedHidden(NDArray ids, NDArray mask, NDArray imageEmbeds);

    /** The first ([CLS]) position of {@link #groundedHidden}, (B, H): all that ITM reads. */
    default NDArray groundedCls(NDArray ids, NDArray mask, NDArray imageEmbeds) {
        return BlipModel.cls(groundedHidden(ids, mask, imageEmbeds));
    }

    @Override
    void close();
}
