package org.blip4j.eval;

/** A corpus-level score and the per-image scores it came from (same order as the scorer's input). */
record MetricScore(double corpus, double[] perImage) {
}
