package org.blip4j.capfilt;

import java.util.Locale;

/**
 * How an ensemble of filters decides on one text (docs/CAPFILT.md). With one filter every rule is BLIP's: keep when
 * P(match) ≥ threshold, and the recorded score is that P(match).
 */
public enum FilterRule {
    /** Keep when the mean P(match) ≥ threshold; the score is the mean. */
    MEAN,
    /** Keep when every filter's P(match) ≥ threshold (the most sceptical decides); the score is the minimum. */
    MIN,
    /**
     * Keep when more than half of the filters have P(match) ≥ threshold (a tie removes); the score is the mean
     * P(match), so the histograms stay comparable with the other rules.
     */
    VOTE;

    /** The score recorded as the text's {@code itm}. */
    double score(double[] itm) {
        if (this == MIN) {
            double m = Double.POSITIVE_INFINITY;
            for (double p : itm) {
                m = Math.min(m, p);
            }
            return m;
        }
        return mean(itm);
    }

    /** Whether the text is kept; {@code score} is {@link #score}'s value for the same scores. */
    boolean keeps(double[] itm, double score, double threshold) {
        if (this != VOTE) {
            return score >= threshold;
        }
        int votes = 0;
        for (double p : itm) {
            votes += p >= threshold ? 1 : 0;
        }
        return 2 * votes > itm.length;
    }

    static double mean(double[] v) {
        if (v.length == 1) {
            return v[0]; // exactly the single filter's score
        }
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code mean}, {@code min} or {@code vote}. */
    public static FilterRule of(String label) {
        for (FilterRule r : values()) {
            if (r.label().equals(label)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown filter rule \"" + label + "\" (mean, min or vote)");
    }
}
