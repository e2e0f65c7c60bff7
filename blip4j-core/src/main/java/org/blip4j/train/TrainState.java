package org.blip4j.train;

import org.blip4j.data.ResumePoint;

/**
 * Counters a resumed run continues from: optimiser steps done, micro-batches done (dropout and negative-sampling
 * seeds derive from it), and where the data stream stands.
 */
public record TrainState(long step, long microStep, int epoch, ResumePoint resume, int queuePtr) {
}
