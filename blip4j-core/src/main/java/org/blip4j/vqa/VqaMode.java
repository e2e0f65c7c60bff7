package org.blip4j.vqa;

/** How an answer is produced (orig {@code BLIP_VQA.forward(inference=...)}, blip-spec §8.3). */
public enum VqaMode {
    /** Open-ended: beam search from [DEC] over the question states. */
    GENERATE,
    /** Closed-set: pick the best of a candidate answer list (BLIP's VQA v2 evaluation). */
    RANK
}
