package org.blip4j.task;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.blip4j.checkpoint.BlipCheckpointConverter;
import org.blip4j.checkpoint.HubResolver;

/**
 * Turns a {@code --model} argument into an HF-layout directory: a directory as is; an original {@code .pth}
 * converted once into a cache ({@code $BLIP4J_CACHE} or {@code ~/.cache/blip4j}); a hub id such as
 * {@code Salesforce/blip-image-captioning-base} through the HF cache or a download; {@code builtin:NAME} from the
 * models shipped with blip4j.
 */
public final class ModelResolver {
    private ModelResolver() {
    }

    public static Path resolve(String spec, ModelOptions options) throws IOException {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no model given");
        }
        if (spec.startsWith(BuiltinModels.PREFIX)) {
            return BuiltinModels.directory(spec.substring(BuiltinModels.PREFIX.length()));
        }
        Path p = Path.of(spec);
        if (Files.isDirectory(p)) {
            return p;
        }
        if (Files.isRegularFile(p)) {
            return convertOriginal(p, options);
        }
        if (HubResolver.isRepoId(spec)) {
            return HubResolver.fromSystemEnvironment().resolve(spec);
        }
        throw new IOException(spec + ": no such model directory or checkpoint file, and not a hub id (ORG/NAME)");
    }

    static Path cacheRoot() {
        String env = System.getenv("BLIP4J_CACHE");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "blip4j");
    }

    /** Converts an original checkpoint once; the cache key covers the file's identity and the options. */
    static Path convertOriginal(Path checkpoint, ModelOptions o) throws IOException {
        Path abs = checkpoint.toAbsolutePath().normalize();
        Path tokenizer = o.tokenizerDir() != null ? o.tokenizerDir() : siblingTokenizer(abs);
        String key = abs + "|" + Files.size(abs) + "|" + Files.getLastModifiedTime(abs).toMillis() + "|"
                + o.medConfig() + "|" + o.visionHeads() + "|" + o.textHeads() + "|" + tokenizer;
        Path out = cacheRoot().resolve("converted").resolve(sha256(key).substring(0, 16));
        if (Files.isRegularFile(out.resolve("config.json"))) {
            return out;
        }
        Path med = o.medConfig();
        if (med == null && Files.isRegularFile(abs.resolveSibling("med_config.json"))) {
            med = abs.resolveSibling("med_config.json");
        }
        BlipCheckpointConverter.convert(new BlipCheckpointConverter.Options(abs, out, med, o.visionHeads(),
                o.textHeads(), tokenizer, null));
        return out;
    }

    /** The checkpoint's own directory when it holds tokenizer files (as a converted model directory does). */
    static Path siblingTokenizer(Path checkpoint) {
        Path dir = checkpoint.getParent();
        if (dir != null && (Files.isRegularFile(dir.resolve("vocab.txt"))
                || Files.isRegularFile(dir.resolve("tokenizer.json")))) {
            return dir;
        }
        return null;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
