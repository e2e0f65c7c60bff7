package org.blip4j.checkpoint;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Resolves a hub id ({@code Salesforce/blip-image-captioning-base}, optionally {@code @revision}) to a local
 * snapshot directory in the huggingface_hub cache, downloading what is missing from {@code $HF_ENDPOINT}
 * ({@code {endpoint}/{repo}/resolve/{revision}/{file}}). A complete cached snapshot is returned without any
 * request; {@code HF_HUB_OFFLINE=1} never makes one. Files: config.json (required), preprocessor and tokenizer
 * files (optional), weights (model.safetensors, else its index and shards, else pytorch_model.bin, else its index
 * and shards). After the first file, every request names the commit it reported, so one snapshot never mixes
 * revisions.
 *
 * <p>The hub is not trusted (see docs/SECURITY.md): every header value that becomes a path or a size is checked
 * by {@link HubAnswer} and refused naming the header and value; redirects go to http/https only and at most
 * {@value ResumableDownload#MAX_REDIRECTS} times; a body longer than announced is refused; an LFS file whose
 * SHA-256 differs from its {@code X-Linked-Etag} is never stored. {@code refs/<revision>} is written only once
 * the snapshot is complete, so a failed download leaves the revision pointing where it pointed before.
 */
public final class HubResolver {
    private static final Pattern REPO_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final long PROGRESS_THRESHOLD = 10L << 20;

    private final Map<String, String> env;
    private final HttpClient client;
    private final ResumableDownload downloads;

    /** @param env environment variables (HF_HOME, HF_HUB_CACHE, HF_ENDPOINT, HF_HUB_OFFLINE, HOME) */
    public HubResolver(Map<String, String> env) {
        this(env, System.err, PROGRESS_THRESHOLD);
    }

    HubResolver(Map<String, String> env, PrintStream progressOut, long progressThreshold) {
        this.env = Map.copyOf(env);
        // follows no redirect by itself: HubAnswer and ResumableDownload check each one
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.downloads = new ResumableDownload(client, progressOut, progressThreshold);
    }

    public static HubResolver fromSystemEnvironment() {
        return new HubResolver(System.getenv());
    }

    /** True for {@code org/name} or {@code org/name@rev} (callers check first that no such local path exists). */
    public static boolean isRepoId(String spec) {
        int at = spec.indexOf('@');
        return REPO_ID.matcher(at < 0 ? spec : spec.substring(0, at)).matches();
    }

    public Path cacheRoot() {
        return HubCache.cacheRoot(env);
    }

    public Path resolve(String spec) throws IOException {
        int at = spec.indexOf('@');
        String repo = at < 0 ? spec : spec.substring(0, at);
        String revision = at < 0 ? "main" : spec.substring(at + 1);
        if (!REPO_ID.matcher(repo).matches() || repo.contains("..") || !HubCache.validRevision(revision)) {
            throw new IllegalArgumentException("not a hub model id: '" + spec + "' (expected ORG/NAME[@REVISION])");
        }
        HubCache cache = new HubCache(cacheRoot(), repo);
        String commit = HubAnswer.COMMIT.matcher(revision).matches() ? revision : cache.readRef(revision);
        if (commit != null && HfModelDirectory.isComplete(cache.snapshot(commit))) {
            return cache.snapshot(commit);
        }
        if (offline()) {
            throw new IOException("HF_HUB_OFFLINE is set and " + repo + "@" + revision + " is not (completely) in the"
                    + " cache at " + cache.repoDir());
        }
        return new Session(repo, revision, cache).download();
    }

    private boolean offline() {
        String v = env.getOrDefault("HF_HUB_OFFLINE", "").toLowerCase(Locale.ROOT);
        return Set.of("1", "true", "yes", "on").contains(v);
    }

    private String endpoint() {
        String e = env.getOrDefault("HF_ENDPOINT", "");
        e = e.isBlank() ? "https://huggingface.co" : e;
        return e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
    }

    /** One download of one repository snapshot. */
    private final class Session {
        private final String repo;
        private final String revision;
        private final HubCache cache;
        private String commit;

        Session(String repo, String revision, HubCache cache) {
            this.repo = repo;
            this.revision = revision;
            this.cache = cache;
        }

        Path download() throws IOException {
            if (!fetch(HfModelDirectory.CONFIG)) {
                throw new IOException("hub repository '" + repo + "' (revision " + revision + ") not found at "
                        + endpoint() + ": no " + HfModelDirectory.CONFIG);
            }
            fetch(HfModelDirectory.PREPROCESSOR_CONFIG);
            for (String f : HfModelDirectory.TOKENIZER_FILES) {
                fetch(f);
            }
            if (!fetch(HfModelDirectory.SAFETENSORS) && !fetchSharded(HfModelDirectory.SAFETENSORS_INDEX)
                    && !fetch(HfModelDirectory.PYTORCH_BIN) && !fetchSharded(HfModelDirectory.PYTORCH_BIN_INDEX)) {
                throw new IOException("hub repository '" + repo + "' (revision " + revision + ") has no weights"
                        + " (model.safetensors, pytorch_model.bin or their shard indexes)");
            }
            Path snapshot = cache.snapshot(commit);
            if (!HfModelDirectory.isComplete(snapshot)) {
                throw new IOException("hub repository '" + repo + "': snapshot " + snapshot + " is incomplete");
            }
            cache.writeRef(revision, commit); // only now: a failed download leaves the ref as it was
            return snapshot;
        }

        private boolean fetchSharded(String index) throws IOException {
            if (!fetch(index)) {
                return false;
            }
            Path indexFile = cache.snapshot(commit).resolve(index);
            for (String shard : new LinkedHashSet<>(HfModelDirectory.weightMap(indexFile).values())) {
                if (!fetch(shard)) {
                    throw new IOException("hub repository '" + repo + "': shard " + shard + " listed in " + index
                            + " is missing");
                }
            }
            return true;
        }

        /** Makes snapshots/<commit>/<file> present; false when the hub does not have the file. */
        private boolean fetch(String file) throws IOException {
            if (!HubCache.FILE.matcher(file).matches()) {
                throw new IOException("hub repository '" + repo + "': refusing file name " + HubAnswer.quote(file)
                        + " (a plain file name is expected)");
            }
            if (commit != null) {
                if (Files.exists(cache.snapshot(commit).resolve(file))) {
                    return true;
                }
                if (cache.knownMissing(commit, file)) {
                    return false;
                }
            }
            URI uri = URI.create(endpoint() + "/" + repo + "/resolve/"
                    + URLEncoder.encode(commit != null ? commit : revision, StandardCharsets.UTF_8) + "/" + file);
            HttpResponse<Void> resp = head(uri);
            int status = resp.statusCode();
            if (status == 404 || status == 401) { // the hub answers 401 for repositories that do not exist
                if (commit != null) {
                    cache.markMissing(commit, file);
                }
                return false;
            }
            if (status >= 400) {
                throw new IOException("HTTP " + status + " for " + uri);
            }
            HubAnswer answer = HubAnswer.parse(uri, status, resp.headers(), revision, commit);
            if (commit == null) {
                commit = answer.commit();
                if (Files.exists(cache.snapshot(commit).resolve(file))) {
                    return true;
                }
            }
            Path blob = cache.blob(answer.etag());
            if (!Files.exists(blob)) {
                downloads.download(answer.source(), cache.incomplete(answer.etag()), blob, answer.size(),
                        answer.sizeHeader(), answer.sha256Etag() ? answer.etag() : null, answer.etagHeader(),
                        repo + "/" + file);
            }
            cache.link(commit, file, blob);
            return true;
        }

        private HttpResponse<Void> head(URI uri) throws IOException {
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
            try {
                return client.send(req, HttpResponse.BodyHandlers.discarding());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while contacting " + uri, e);
            } catch (IOException e) {
                throw new IOException("cannot reach " + uri + ": " + e.getMessage()
                        + " (set HF_HUB_OFFLINE=1 to use the cache only)", e);
            }
        }
    }
}
