package org.blip4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.blip4j.data.AnnotationReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JSON from files blip4j did not write is bounded in nesting and size. */
class JsonLimitsTest {
    private static final String DEEP = "[".repeat(10_000) + "]".repeat(10_000);

    @Test
    void deepNestingIsRefusedByBothMappers() throws IOException {
        for (var mapper : new com.fasterxml.jackson.databind.ObjectMapper[] {JsonLimits.configMapper(),
                JsonLimits.dataMapper()}) {
            StreamConstraintsException e = assertThrows(StreamConstraintsException.class, () -> mapper.readTree(DEEP));
            assertTrue(e.getMessage().contains("nesting depth"), e.getMessage());
        }
        assertEquals(1, JsonLimits.dataMapper().readTree("[[[1]]]").get(0).get(0).get(0).intValue(),
                "shallow documents read as before");
    }

    @Test
    void configDocumentsAreCappedAndRefuseRepeatedKeys() throws IOException {
        assertEquals(JsonLimits.MAX_CONFIG_BYTES,
                JsonLimits.configMapper().getFactory().streamReadConstraints().getMaxDocumentLength());
        assertThrows(IOException.class, () -> JsonLimits.configMapper().readTree("{\"a\": 1, \"a\": 2}"));
        assertEquals(2, JsonLimits.dataMapper().readTree("{\"a\": 1, \"a\": 2}").get("a").intValue(),
                "data files keep Python's last-key-wins");
    }

    @Test
    void aNestingBombInAnAnnotationFileIsANamedError(@TempDir Path dir) throws IOException {
        Path ann = Files.writeString(dir.resolve("bomb.json"), "[{\"image\": \"a.jpg\", \"caption\": " + DEEP + "}]");
        IOException e = assertThrows(IOException.class, () -> AnnotationReader.blip(dir).read(ann));
        assertTrue(e.getMessage().contains("bomb.json") && e.getMessage().contains("nesting depth"), e.getMessage());
    }
}
