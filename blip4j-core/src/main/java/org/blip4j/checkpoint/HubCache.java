package org.blip4j.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.blip4j.util.AtomicFiles;

/**
 * One model repository in the huggingface_hub cache layout, so Python and Java share downloads:
 * {@code <cache>/models--ORG--NAME/} with {@code blobs/<etag>}, {@code snapshots/<commit>/<file>} (relative
 * symlink to the blob, or a copy where links are not allowed), {@code refs/<revision>} (the commit hash) and
 * {@code .no_exist/<commit>/<file>} markers for files the hub does not have.
 */
final class HubCache {
    private final Path repoDir;

    HubCache(Path cacheRoot, String repoId) {
        this.repoDir = cacheRoot.resolve("models--" + repoId.replace("/", "--"));
    }

    /** HF_HUB_CACHE, else HF_HOME/hub, else XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub. */
    static Path cacheRoot(Map<String, String> env) {
        if (nonEmpty(env.get("HF_HUB_CACHE"))) {
            return Path.of(env.get("HF_HUB_CACHE"));
        }
        if (nonEmpty(env.get("HF_HOME"))) {
            return Path.of(env.get("HF_HOME"), "hub");
        }
        if (nonEmpty(env.get("XDG_CACHE_HOME"))) {
            return Path.of(env.get("XDG_CACHE_HOME"), "huggingface", "hub");
        }
        String home = nonEmpty(env.get("HOME")) ? env.get("HOME") : System.getProperty("user.home");
        return Path.of(home, ".cache", "huggingface", "hub");
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isBlank();
    }

    Path repoDir() {
        return repoDir;
    }

    Path blob(String etag) {
        return repoDir.resolve("blobs").resolve(etag);
    }

    Path incomplete(String etag) {
        return repoDir.resolve("blobs").resolve(etag + ".incomplete");
    }

    Path snapshot(String commit) {
        return repoDir.resolve("snapshots").resolve(commit);
    }

    /** The commit a revision (branch, tag) points to, or null when not cached. */
    String readRef(String revision) throws IOException {
        Path ref = repoDir.resolve("refs").resolve(revision);
        return Files.isRegularFile(ref) ? Files.readString(ref, StandardCharsets.UTF_8).strip() : null;
    }

    void writeRef(String revision, String commit) throws IOException {
        if (!revision.equals(commit)) {
            AtomicFiles.writeString(repoDir.resolve("refs").resolve(revision), commit);
        }
    }

    boolean knownMissing(String commit, String file) {
        return Files.exists(repoDir.resolve(".no_exist").resolve(commit).resolve(file));
    }

    void markMissing(String commit, String file) throws IOException {
        Path marker = repoDir.resolve(".no_exist").resolve(commit).resolve(file);
        Files.createDirectories(marker.getParent());
        if (!Files.exists(marker)) {
            Files.createFile(marker);
        }
    }

    /** Points snapshots/<commit>/<file> at the blob: relative symlink, else a copy. */
    Path link(String commit, String file, Path blob) throws IOException {
        Path target = snapshot(commit).resolve(file);
        Files.createDirectories(target.getParent());
        Files.deleteIfExists(target);
        try {
            Files.createSymbolicLink(target, target.getParent().relativize(blob));
        } catch (UnsupportedOperationException | IOException e) {
            Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.moveAtomically(tmp, target);
        }
        return target;
    }
}
