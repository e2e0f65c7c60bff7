package org.blip4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The ITC feature queues (orig {@code _dequeue_and_enqueue} in {@code models/blip_pretrain.py} and
 * {@code blip_retrieval.py}): image and text momentum features (E, Q) as columns, image ids (1, Q) for retrieval
 * fine-tuning (−100 = empty), and the write pointer. Initialised like the original: randn columns, L2-normalised.
 */
public final class FeatureQueue implements AutoCloseable {
    public static final long EMPTY_ID = -100;
    private NDArray imageQueue;
    private NDArray textQueue;
    private NDArray idxQueue;
    private int ptr;
    private int size;

    public FeatureQueue(NDArray imageQueue, NDArray textQueue, NDArray idxQueue, int ptr) {
        this.imageQueue = imageQueue;
        this.textQueue = textQueue;
        this.idxQueue = idxQueue;
        this.ptr = ptr;
        this.size = (int) imageQueue.getShape().get(1);
    }

    public static FeatureQueue random(NDManager m, int dim, int size) {
        NDArray img = m.randomNormal(new Shape(dim, size));
        NDArray txt = m.randomNormal(new Shape(dim, size));
        img = img.div(img.norm(new int[] {0}, true));
        txt = txt.div(txt.norm(new int[] {0}, true));
        NDArray idx = m.full(new Shape(1, size), EMPTY_ID, DataType.INT64);
        return new FeatureQueue(img, txt, idx, 0);
    }

    public NDArray imageQueue() {
        return imageQueue;
    }

    public NDArray textQueue() {
        return textQueue;
    }

    public NDArray idxQueue() {
        return idxQueue;
    }

    public int ptr() {
        return ptr;
    }

    public int size() {
        return size;
    }

    /** Writes a batch of momentum features (B, E) and ids (B) at the pointer and advances it. */
    public void enqueue(NDArray imageFeatM, NDArray textFeatM, NDArray idx) {
        int b = (int) imageFeatM.getShape().get(0);
        if (size % b != 0) {
            throw new IllegalArgumentException("queue size " + size + " must be a multiple of the batch size " + b
                    + " (the original asserts this too)");
        }
        NDIndex cols = new NDIndex(":, {}:{}", ptr, ptr + b);
        imageQueue.set(cols, imageFeatM.transpose());
        textQueue.set(cols, textFeatM.transpose());
        if (idx != null) {
            idxQueue.set(cols, idx.toType(DataType.INT64, false).reshape(1, b));
        }
        ptr = (ptr + b) % size;
    }

    /** Replaces the queue contents (resume from a checkpoint). */
    public void restore(NDArray image, NDArray text, NDArray idx, int pointer) {
        close();
        imageQueue = image;
        textQueue = text;
        idxQueue = idx;
        size = (int) image.getShape().get(1);
        ptr = pointer;
    }

    @Override
    public void close() {
        imageQueue.close();
        textQueue.close();
        idxQueue.close();
    }
}
