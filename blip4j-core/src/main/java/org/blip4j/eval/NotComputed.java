package org.blip4j.eval;

/** A metric the report names but deliberately has no number for, and why. */
public record NotComputed(String metric, String reason) {
}
