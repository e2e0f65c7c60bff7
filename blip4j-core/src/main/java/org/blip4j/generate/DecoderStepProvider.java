package org.blip4j.generate;

import ai.djl.ndarray.NDArray;

/** Something that can run the image-grounded decoder's steps faster than {@link DecoderStep} (an inference engine). */
public interface DecoderStepProvider {
    /**
     * @param encoderStates (E, Le, W) image embeddings or question states
     * @param encoderMask (E, Le) or null for all ones
     * @param rowsPerInput decoder rows per input (beams or samples), consecutive
     */
    DecoderSession openDecoder(NDArray encoderStates, NDArray encoderMask, int rowsPerInput);

    /** A step function that owns native state until closed. */
    interface DecoderSession extends StepFunction, AutoCloseable {
        @Override
        void close();
    }

    /**
     * The decoder of {@code model} over {@code encoderStates}: the model's inference engine when it has one that
     * decodes, else libtorch ({@link DecoderStep}).
     */
    static DecoderSession open(org.blip4j.model.BlipModel model, NDArray encoderStates, NDArray encoderMask,
            int rowsPerInput, boolean cacheCrossAttention) {
        if (cacheCrossAttention && !org.blip4j.engine.Engines.recordingGradients()
                && model.frozenInference() instanceof DecoderStepProvider engine) {
            return engine.openDecoder(encoderStates, encoderMask, rowsPerInput);
        }
        return new DecoderStep(model, encoderStates, encoderMask, rowsPerInput, cacheCrossAttention);
    }
}
