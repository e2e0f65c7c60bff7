package org.blip4j.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.blip4j.util.SystemFlags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native loops of {@link HostUpdates} ({@code blip4j-core/src/main/native/host_updates.c}): AdamW and the moving
 * average at memory speed, bit-identical to the Java loops. The pom compiles the library into the jar on Linux;
 * where it is missing or does not load, or with {@code -Dblip4j.native.updates=false}, it is not used
 * and the Java loops run instead ({@link #available}).
 */
final class NativeUpdates {
    private static final Logger LOG = LoggerFactory.getLogger(NativeUpdates.class);
    static final String PROPERTY = "blip4j.native.updates";
    private static Boolean loaded;

    private NativeUpdates() {
    }

    /**
     * True when the library is loaded and its functions may be called; loads it on first use. A value of
     * {@code -Dblip4j.native.updates} other than true or false is an error.
     */
    static synchronized boolean available() {
        if (loaded == null) {
            loaded = SystemFlags.bool(PROPERTY, true) && load();
        }
        return loaded;
    }

    /** AdamW over elements [from, to) of four equally long direct float buffers ({@link HostUpdates#adamw}). */
    static native void adamw(Buffer w, Buffer g, Buffer m, Buffer v, int from, int to, float decay, float beta1,
            float oneMinusBeta1, float beta2, float oneMinusBeta2, float sqrtBc2, float eps, float stepSize);

    /** target ← target·keep + source·take over elements [from, to). */
    static native void movingAverage(Buffer target, Buffer source, int from, int to, float keep, float take);

    /** The library's resource for this platform: Linux only, one folder per CPU architecture. */
    static String resource() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return "native/linux-" + arch + "/libblip4j-updates.so";
    }

    private static boolean load() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return false;
        }
        try (InputStream in = NativeUpdates.class.getResourceAsStream(resource())) {
            if (in == null) {
                LOG.debug("no {} in the class path; parameter updates run in Java", resource());
                return false;
            }
            // System.load needs a file; once loaded, the file can go
            Path file = Files.createTempFile("blip4j-updates", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toAbsolutePath().toString());
            } finally {
                Files.deleteIfExists(file);
            }
            return true;
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            LOG.warn("could not load the native parameter updates ({}); they run in Java", e.toString());
            return false;
        }
    }
}
