package org.blip4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SystemFlagsTest {
    static final String NAME = "blip4j.test.flag";

    @AfterEach
    void clear() {
        System.clearProperty(NAME);
    }

    @Test
    void unsetGivesTheDefaultAndTrueOrFalseAreRead() {
        assertTrue(SystemFlags.bool(NAME, true));
        assertEquals(false, SystemFlags.bool(NAME, false));
        System.setProperty(NAME, "true");
        assertTrue(SystemFlags.bool(NAME, false));
        System.setProperty(NAME, "false");
        assertEquals(false, SystemFlags.bool(NAME, true));
    }

    @Test
    void anythingElseIsAnErrorNamingTheProperty() {
        for (String v : new String[] {"TRUE", "yes", "1", ""}) {
            System.setProperty(NAME, v);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SystemFlags.bool(NAME, false));
            assertTrue(e.getMessage().contains("-D" + NAME) && e.getMessage().contains("'" + v + "'"), e.getMessage());
        }
    }
}
