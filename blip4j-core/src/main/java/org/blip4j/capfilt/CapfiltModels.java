package org.blip4j.capfilt;

import java.util.List;
import java.util.Objects;
import org.blip4j.model.Part;
import org.blip4j.task.Blip;

/**
 * The models of CapFilt: one or more captioners (image-grounded decoder) and one or more filters (ITM head; ITC
 * projections optional). The paper fine-tunes one of each separately from one pre-trained model; sharing them
 * lowers the noise ratio (Table 4). Several of either form an ensemble (docs/CAPFILT.md): every captioner writes
 * its captions, and the filters' verdicts are combined by {@link CapfiltOptions#filterRule()}. A model may appear
 * in both lists, or twice in one (tests, ablations).
 */
public record CapfiltModels(List<Blip> captioners, List<Blip> filters) {
    public CapfiltModels {
        captioners = List.copyOf(Objects.requireNonNull(captioners, "captioners"));
        filters = List.copyOf(Objects.requireNonNull(filters, "filters"));
        if (captioners.isEmpty() || filters.isEmpty()) {
            throw new IllegalArgumentException("CapFilt needs at least one captioner and one filter");
        }
        for (Blip c : captioners) {
            if (!c.model().has(Part.TEXT_DECODER)) {
                throw new IllegalArgumentException(name(c) + ": the captioner has no text decoder");
            }
        }
        for (Blip f : filters) {
            if (!f.model().has(Part.ITM_HEAD) || !f.model().has(Part.TEXT_ENCODER)) {
                throw new IllegalArgumentException(name(f) + ": the filter has no ITM head / text encoder");
            }
        }
    }

    /** One captioner and one filter: the paper's CapFilt. */
    public CapfiltModels(Blip captioner, Blip filter) {
        this(List.of(Objects.requireNonNull(captioner, "captioner")), List.of(Objects.requireNonNull(filter,
                "filter")));
    }

    /** The first captioner (the only one outside an ensemble). */
    public Blip captioner() {
        return captioners.get(0);
    }

    /** The first filter (the only one outside an ensemble). */
    public Blip filter() {
        return filters.get(0);
    }

    private static String name(Blip b) {
        return b.directory() == null ? "in-memory model" : b.directory().toString();
    }
}
