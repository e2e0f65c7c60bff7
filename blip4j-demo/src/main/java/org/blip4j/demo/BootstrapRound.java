package org.blip4j.demo;

import org.blip4j.capfilt.CapfiltReport;

/**
 * One round of bootstrapping: its CapFilt (filter quality against the noise labels) and the zero-shot scores of the
 * model pre-trained on the data that round bootstrapped (plus the human pairs).
 */
public record BootstrapRound(int round, CapfiltReport filtering, ModelScores scores) {
}
