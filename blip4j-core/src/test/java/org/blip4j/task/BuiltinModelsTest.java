package org.blip4j.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** builtin:NAME comes from the blip4j-models artefact; without it the error says which artefact to add. */
class BuiltinModelsTest {
    @Test
    void theShippedModelsExtractFromTheModelsArtefact() throws IOException {
        assertEquals(java.util.List.of("shapes-captioner", "shapes-filter"), BuiltinModels.names());
        for (String name : BuiltinModels.names()) {
            Path dir = BuiltinModels.directory(name);
            for (String f : BuiltinModels.FILES) {
                assertTrue(Files.size(dir.resolve(f)) > 0, dir.resolve(f).toString());
            }
        }
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IOException e = assertThrows(IOException.class, () -> BuiltinModels.directory("no-such-model"));
        assertTrue(e.getMessage().contains("shapes-captioner, shapes-filter"), e.getMessage());
    }

    @Test
    void aNameThatIsNotAPlainWordIsRejected() {
        IOException e = assertThrows(IOException.class, () -> BuiltinModels.directory("../shapes-filter"));
        assertTrue(e.getMessage().contains("../shapes-filter"), e.getMessage());
    }

    @Test
    void withoutTheModelsArtefactTheErrorNamesIt() throws Exception {
        // blip4j-core's classes alone, as in an application that did not add blip4j-models
        URL coreClasses = BuiltinModels.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader coreOnly = new URLClassLoader(new URL[] {coreClasses},
                ClassLoader.getPlatformClassLoader())) {
            Method directory = coreOnly.loadClass(BuiltinModels.class.getName()).getMethod("directory", String.class);
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> directory.invoke(null, "shapes-captioner"));
            assertEquals(IOException.class, e.getCause().getClass());
            assertTrue(e.getCause().getMessage().contains("add the artefact org.blip4j:blip4j-models"),
                    e.getCause().getMessage());
        }
    }
}
