package org.blip4j.demo;

import java.util.List;

/**
 * One pre-training dataset of the CapFilt ablation ({@link Ablation}): how it was bootstrapped. Each is pre-trained
 * into a fresh model and evaluated zero-shot; {@link #FAMILIES} groups them as the paper's tables and issue 19's
 * proposals (a variant may appear in several families, e.g. {@link #CF} is every family's reference).
 */
public enum AblationVariant {
    NONE("none", "no CapFilt (web + human)"),
    F_ONLY("f-only", "filter only"),
    C_ONLY("c-only", "captioner only"),
    CF("cf", "captioner + filter"),
    BEAM("beam", "beam search captions"),
    SHARED("shared", "shared captioner + filter"),
    K3("k3", "K = 3 captions"),
    K5("k5", "K = 5 captions"),
    ENSEMBLE("ensemble", "2 captioners + 2 filters"),
    ROUND2("round-2", "round 2"),
    ROUND3("round-3", "round 3");

    /** Directory name under {@code OUT/seed-N/variants}. */
    public final String id;
    public final String label;

    AblationVariant(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** A table of the summary: its variants with the row names they have there. */
    public record Family(String id, String title, String note, List<Row> rows) {
    }

    public record Row(String name, AblationVariant variant) {
    }

    private static Row row(String name, AblationVariant v) {
        return new Row(name, v);
    }

    public static final List<Family> FAMILIES = List.of(
            new Family("table1", "Table 1: which parts of CapFilt", "filter only: web texts filtered, no synthetic "
                    + "captions; captioner only: one synthetic caption per image added, nothing filtered",
                    List.of(row("no CapFilt", NONE), row("filter only", F_ONLY), row("captioner only", C_ONLY),
                            row("captioner + filter", CF))),
            new Family("table2", "Table 2: how the synthetic captions are decoded (with the filter)",
                    "nucleus: p 0.9 (BLIP's CapFilt); beam: 3 beams, the deterministic alternative",
                    List.of(row("no CapFilt", NONE), row("nucleus sampling", CF), row("beam search", BEAM))),
            new Family("table4", "Table 4: captioner and filter fine-tuned separately or as one shared model",
                    "decoupled: an LM fine-tune and an ITC+ITM fine-tune from the pre-trained model (BLIP's); shared: "
                    + "one model fine-tuned with ITC+ITM+LM on the human pairs, used as both",
                    List.of(row("no CapFilt", NONE), row("decoupled", CF), row("shared", SHARED))),
            new Family("captions", "Several synthetic captions per image", "K nucleus-sampled captions per image, "
                    + "each filtered on its own (K = 3 is the first 3 candidates of the K = 5 run)",
                    List.of(row("no CapFilt", NONE), row("K = 1", CF), row("K = 3", K3), row("K = 5", K5))),
            new Family("ensemble", "An ensemble of captioners and filters", "the second captioner and filter are "
                    + "fine-tuned with another seed; rule mean of P(match)",
                    List.of(row("no CapFilt", NONE), row("1 captioner + 1 filter", CF),
                            row("2 captioners + 2 filters", ENSEMBLE))),
            new Family("rounds", "Rounds of bootstrapping", "round r: pre-train on round r−1's data, fine-tune a "
                    + "captioner and a filter from it, CapFilt the original web texts",
                    List.of(row("no CapFilt", NONE), row("round 1", CF), row("round 2", ROUND2),
                            row("round 3", ROUND3))));
}
