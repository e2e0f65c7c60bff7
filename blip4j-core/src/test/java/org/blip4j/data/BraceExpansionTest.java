package org.blip4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BraceExpansionTest {
    @Test
    void zeroPaddedRange() {
        assertEquals(List.of("shard-00000.tar", "shard-00001.tar", "shard-00002.tar"),
                BraceExpansion.expand("shard-{00000..00002}.tar"));
        assertEquals(List.of("a-8", "a-9", "a-10"), BraceExpansion.expand("a-{8..10}"));
        assertEquals(List.of("a-08", "a-09", "a-10"), BraceExpansion.expand("a-{08..10}"));
        assertEquals(List.of("3", "2", "1"), BraceExpansion.expand("{3..1}"));
    }

    @Test
    void alternativesAndSeveralGroups() {
        assertEquals(List.of("cc3m/0.tar", "cc3m/1.tar", "sbu/0.tar", "sbu/1.tar"),
                BraceExpansion.expand("{cc3m,sbu}/{0..1}.tar"));
        assertEquals(List.of("plain.tar"), BraceExpansion.expand("plain.tar"));
        assertEquals(List.of("x{a}y"), BraceExpansion.expand("x{a}y"));
    }

    @Test
    void malformedPatternsAreNamed() {
        for (String bad : List.of("a{0..2", "a}b", "a{{0..1}}")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BraceExpansion.expand(bad));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }
}
