package org.blip4j.train;

import java.util.EnumSet;
import java.util.Locale;
import org.blip4j.model.Part;

/** What is trained, and which model parts that needs. */
public enum TrainingTask {
    /** ITC + ITM + LM from scratch or a checkpoint (orig {@code BLIP_Pretrain.forward}). */
    PRETRAIN(EnumSet.of(Part.VISION, Part.TEXT_ENCODER, Part.TEXT_DECODER, Part.VISION_PROJ, Part.TEXT_PROJ,
            Part.ITM_HEAD, Part.TEMP), true),
    /** The captioner: LM with the prompt masked (orig {@code BLIP_Decoder.forward}). */
    CAPTION(EnumSet.of(Part.VISION, Part.TEXT_DECODER), false),
    /** The filter: ITC + ITM with image-id positives (orig {@code BLIP_Retrieval.forward}). */
    RETRIEVAL(EnumSet.of(Part.VISION, Part.TEXT_ENCODER, Part.VISION_PROJ, Part.TEXT_PROJ, Part.ITM_HEAD,
            Part.TEMP), true),
    /**
     * Visual question answering: weighted answer LM over question states (orig {@code BLIP_VQA.forward(train=True)}).
     */
    VQA(EnumSet.of(Part.VISION, Part.TEXT_ENCODER, Part.TEXT_DECODER), false);

    public final EnumSet<Part> parts;
    public final boolean usesMomentum;

    TrainingTask(EnumSet<Part> parts, boolean usesMomentum) {
        this.parts = parts;
        this.usesMomentum = usesMomentum;
    }

    public static TrainingTask parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown task '" + name + "' (pretrain, caption, retrieval, vqa)");
        }
    }

    /** HF architecture names for the saved config. */
    public java.util.List<String> architectures() {
        return switch (this) {
            case PRETRAIN -> java.util.List.of("BlipForConditionalGeneration", "BlipForImageTextRetrieval");
            case CAPTION -> java.util.List.of("BlipForConditionalGeneration");
            case RETRIEVAL -> java.util.List.of("BlipForImageTextRetrieval");
            case VQA -> java.util.List.of("BlipForQuestionAnswering");
        };
    }
}
