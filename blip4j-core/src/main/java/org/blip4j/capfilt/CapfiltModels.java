package org.blip4j.capfilt;

import java.util.Objects;
import org.blip4j.model.Part;
import org.blip4j.task.Blip;

/**
 * The two models of CapFilt: the captioner (image-grounded decoder) and the filter (ITM head; ITC projections
 * optional). The paper fine-tunes them separately from one pre-trained model; sharing them lowers the noise
 * ratio (Table 4). Both may be the same {@link Blip} (tests, ablations).
 */
public record CapfiltModels(Blip captioner, Blip filter) {
    public CapfiltModels {
        Objects.requireNonNull(captioner, "captioner");
        Objects.requireNonNull(filter, "filter");
        if (!captioner.model().has(Part.TEXT_DECODER)) {
            throw new IllegalArgumentException(name(captioner) + ": the captioner has no text decoder");
        }
        if (!filter.model().has(Part.ITM_HEAD) || !filter.model().has(Part.TEXT_ENCODER)) {
            throw new IllegalArgumentException(name(filter) + ": the filter has no ITM head / text encoder");
        }
    }

    private static String name(Blip b) {
        return b.directory() == null ? "in-memory model" : b.directory().toString();
    }
}
