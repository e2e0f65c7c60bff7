package org.blip4j.vqa;

/** How an answer is produced (orig {@code BLIP_VQA.forward(inference=...)} in {@code models/blip_vqa.py}). */
public enum VqaMode {
    /** Open-ended: beam search from [DEC] over the question states. */
    GENERATE,
    /** Closed-set: pick the best of a candidate answer list (BLIP's VQA v2 evaluation). */
    RANK
}
