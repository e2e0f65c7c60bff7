package org.blip4j.capfilt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How an ensemble of filters decides: mean, most sceptical, strict majority. */
class FilterRuleTest {
    private static boolean keeps(FilterRule r, double... p) {
        return r.keeps(p, r.score(p), 0.5);
    }

    @Test
    void oneFilterIsBlipsRuleUnderEveryRule() {
        for (FilterRule r : FilterRule.values()) {
            assertEquals(0.5, r.score(new double[] {0.5}));
            assertTrue(keeps(r, 0.5), r.label());
            assertFalse(keeps(r, 0.4999), r.label());
        }
    }

    @Test
    void rulesDifferOnDisagreeingFilters() {
        assertEquals(0.55, FilterRule.MEAN.score(new double[] {0.9, 0.2}), 1e-12);
        assertTrue(keeps(FilterRule.MEAN, 0.9, 0.2));
        assertEquals(0.2, FilterRule.MIN.score(new double[] {0.9, 0.2}));
        assertFalse(keeps(FilterRule.MIN, 0.9, 0.2));
        assertFalse(keeps(FilterRule.VOTE, 0.9, 0.2), "a tie removes");
        assertTrue(keeps(FilterRule.VOTE, 0.9, 0.6, 0.1), "2 of 3");
        assertFalse(keeps(FilterRule.VOTE, 0.99, 0.4, 0.45), "1 of 3, although the mean is 0.61");
        assertTrue(keeps(FilterRule.MEAN, 0.99, 0.4, 0.45));
        assertEquals(0.61333333, FilterRule.VOTE.score(new double[] {0.99, 0.4, 0.45}), 1e-8, "vote records the mean");
    }

    @Test
    void parsesLabels() {
        assertEquals(FilterRule.VOTE, FilterRule.of("vote"));
        assertThrows(IllegalArgumentException.class, () -> FilterRule.of("median"));
    }
}
