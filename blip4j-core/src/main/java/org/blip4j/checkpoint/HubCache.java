package org.blip4j.checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.regex.Pattern;
import org.blip4j.util.AtomicFiles;

/**
 * One model repository in the huggingface_hub cache layout, so Python and Java share downloads:
 * {@code <cache>/models--ORG--NAME/} with {@code blobs/<etag>}, {@code snapshots/<commit>/<file>} (relative
 * symlink to the blob, or a copy where links are not allowed), {@code refs/<revision>} (the commit hash) and
 * {@code .no_exist/<commit>/<file>} markers for files the hub does not have.
 *
 * <p>Every name that becomes a path here (commit, etag, revision, file) is checked again on the way in, and every
 * path is checked to stay inside the repository folder, so a value that slipped past the caller's validation
 * still cannot reach outside it.
 */
final class HubCache {
    /** Branch or tag names, optionally with '/' ({@code refs/pr/1}); '..' is refused separately. */
    static final Pattern REVISION = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*");
    /** A file name in a snapshot (no directories: every file blip4j fetches lives at the repository root). */
    static final Pattern FILE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._+-]{0,254}");
    private static final Pattern ETAG = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

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

    static boolean validRevision(String revision) {
        return revision != null && revision.length() <= 255 && REVISION.matcher(revision).matches()
                && !revision.contains("..");
    }

    private static String checked(Pattern form, String name) {
        if (name == null || !form.matcher(name).matches() || form == REVISION && !validRevision(name)) {
            throw new IllegalArgumentException("not a valid cache name: " + HubAnswer.quote(name));
        }
        return name;
    }

    /** Defence in depth: a path built from checked names still has to lie inside the repository folder. */
    private Path inside(Path p) {
        if (!p.normalize().startsWith(repoDir.normalize())) {
            throw new IllegalArgumentException(p + " lies outside the hub cache folder " + repoDir);
        }
        return p;
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isBlank();
    }

    Path repoDir() {
        return repoDir;
    }

    Path blob(String etag) {
        return inside(repoDir.resolve("blobs").resolve(checked(ETAG, etag)));
    }

    Path incomplete(String etag) {
        return inside(repoDir.resolve("blobs").resolve(checked(ETAG, etag) + ".incomplete"));
    }

    Path snapshot(String commit) {
        return inside(repoDir.resolve("snapshots").resolve(checked(HubAnswer.COMMIT, commit)));
    }

    /** The commit a revision (branch, tag) points to, or null when not cached or not a commit hash. */
    String readRef(String revision) throws IOException {
        Path ref = inside(repoDir.resolve("refs").resolve(checked(REVISION, revision)));
        if (!Files.isRegularFile(ref) || Files.size(ref) > 4096) {
            return null;
        }
        String commit = Files.readString(ref, StandardCharsets.UTF_8).strip();
        return HubAnswer.COMMIT.matcher(commit).matches() ? commit : null;
    }

    void writeRef(String revision, String commit) throws IOException {
        checked(HubAnswer.COMMIT, commit);
        if (!revision.equals(commit)) {
            AtomicFiles.writeString(inside(repoDir.resolve("refs").resolve(checked(REVISION, revision))), commit);
        }
    }

    boolean knownMissing(String commit, String file) {
        return Files.exists(missingMarker(commit, file));
    }

    private Path missingMarker(String commit, String file) {
        return inside(repoDir.resolve(".no_exist").resolve(checked(HubAnswer.COMMIT, commit))
                .resolve(checked(FILE, file)));
    }

    void markMissing(String commit, String file) throws IOException {
        Path marker = missingMarker(commit, file);
        Files.createDirectories(marker.getParent());
        if (!Files.exists(marker)) {
            Files.createFile(marker);
        }
    }

    /** Points snapshots/<commit>/<file> at the blob: relative symlink, else a copy. */
    Path link(String commit, String file, Path blob) throws IOException {
        Path target = inside(snapshot(commit).resolve(checked(FILE, file)));
        if (!inside(blob).getParent().equals(repoDir.resolve("blobs"))) {
            throw new IllegalArgumentException("not a blob of " + repoDir + ": " + blob);
        }
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
