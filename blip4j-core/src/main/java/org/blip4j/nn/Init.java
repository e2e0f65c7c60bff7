package org.blip4j.nn;

/** How a parameter is initialised when a model is built from scratch (not loaded). */
public enum Init {
    /** Truncated normal, std = initializer range (0.02): BERT / timm Linear weights, embeddings, tokens. */
    NORMAL,
    ZEROS,
    ONES,
    /** Constant initial value supplied at registration (e.g. ITC temperature 0.07). */
    CONSTANT
}
