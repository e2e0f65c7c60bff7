package org.blip4j.checkpoint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The hub's answer to a HEAD on {@code {endpoint}/{repo}/resolve/{revision}/{file}}, with every value that later
 * becomes a cache path, a size or a download source checked first. The hub is not trusted: a value that does not
 * have the documented form is refused with an {@link IOException} naming the header and the (quoted) value.
 *
 * <p>Documented forms (huggingface_hub {@code file_download.py} {@code get_hf_file_metadata}): {@code X-Repo-Commit}
 * is the 40-hex git commit; {@code ETag} is the 40-hex git blob id of a regular file; {@code X-Linked-Etag} is the
 * 64-hex SHA-256 of an LFS file; {@code X-Linked-Size} (LFS) or {@code Content-Length} is the size in bytes.
 */
record HubAnswer(String commit, String etag, boolean sha256Etag, String etagHeader, long size, String sizeHeader,
        URI source) {
    static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern GIT_BLOB = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,18}");
    private static final int MAX_QUOTED = 120;

    static final String REPO_COMMIT = "X-Repo-Commit";
    static final String LINKED_ETAG = "X-Linked-Etag";
    static final String ETAG = "ETag";
    static final String LINKED_SIZE = "X-Linked-Size";
    static final String CONTENT_LENGTH = "Content-Length";
    static final String LOCATION = "Location";

    /**
     * Checks a successful (2xx) or redirect (3xx) answer. {@code knownCommit} is the commit this snapshot is being
     * built from (null for the first file), {@code revision} what the user asked for.
     */
    static HubAnswer parse(URI uri, int status, HttpHeaders h, String revision, String knownCommit)
            throws IOException {
        String commit = commit(uri, h, revision, knownCommit);
        String etagHeader = h.firstValue(LINKED_ETAG).isPresent() ? LINKED_ETAG : ETAG;
        String rawEtag = h.firstValue(etagHeader).orElseThrow(() -> new IOException(uri + ": the hub's answer has"
                + " no " + ETAG + " or " + LINKED_ETAG + " header; cannot store the file in the cache"));
        String etag = normalizeEtag(rawEtag);
        boolean sha256 = etag != null && SHA256.matcher(etag).matches();
        if (etag == null || !(sha256 || GIT_BLOB.matcher(etag).matches())) {
            throw refused(uri, etagHeader, rawEtag, "not a 40-hex git blob id or a 64-hex SHA-256");
        }
        String sizeHeader = h.firstValue(LINKED_SIZE).isPresent() ? LINKED_SIZE : CONTENT_LENGTH;
        String rawSize = h.firstValue(sizeHeader).orElseThrow(() -> new IOException(uri + ": the hub's answer has"
                + " no " + LINKED_SIZE + " or " + CONTENT_LENGTH + " header; refusing a download of unknown size"));
        if (!DECIMAL.matcher(rawSize.strip()).matches()) {
            throw refused(uri, sizeHeader, rawSize, "not a byte count");
        }
        long size = Long.parseLong(rawSize.strip());
        URI source = uri;
        if (status >= 300 && status < 400) {
            String location = h.firstValue(LOCATION).orElseThrow(() -> new IOException(uri + ": HTTP " + status
                    + " redirect without a " + LOCATION + " header"));
            source = redirectTarget(uri, location);
        }
        return new HubAnswer(commit, etag, sha256, etagHeader, size, sizeHeader, source);
    }

    private static String commit(URI uri, HttpHeaders h, String revision, String knownCommit) throws IOException {
        Optional<String> raw = h.firstValue(REPO_COMMIT);
        if (raw.isEmpty()) {
            if (knownCommit != null) {
                return knownCommit;
            }
            if (COMMIT.matcher(revision).matches()) {
                return revision;
            }
            throw new IOException(uri + ": the hub's answer has no " + REPO_COMMIT + " header; cannot tell which"
                    + " commit revision '" + revision + "' is (is HF_ENDPOINT a Hugging Face hub?)");
        }
        String commit = raw.get().strip();
        if (!COMMIT.matcher(commit).matches()) {
            throw refused(uri, REPO_COMMIT, raw.get(), "not a 40-character lowercase hex commit hash");
        }
        if (knownCommit != null && !knownCommit.equals(commit)) {
            throw refused(uri, REPO_COMMIT, raw.get(), "differs from commit " + knownCommit
                    + " that the rest of this snapshot comes from");
        }
        return commit;
    }

    /**
     * Where a redirect from {@code from} leads: only {@code http} and {@code https} (relative locations resolve
     * against {@code from}); {@code file:}, {@code jar:} and the like are refused.
     */
    static URI redirectTarget(URI from, String location) throws IOException {
        URI target;
        try {
            target = from.resolve(new URI(location.strip()));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw refused(from, LOCATION, location, "not a valid URI");
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || target.getHost() == null) {
            throw refused(from, LOCATION, location, "redirects are followed to http and https URLs only");
        }
        return target;
    }

    /** {@code W/"abc"} → {@code abc}; null when nothing is left. The caller checks the form. */
    static String normalizeEtag(String raw) {
        if (raw == null) {
            return null;
        }
        String e = raw.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        e = e.replace("\"", "");
        return e.isEmpty() ? null : e;
    }

    static IOException refused(URI uri, String header, String value, String why) {
        return new IOException(uri + ": refusing the hub's " + header + " " + quote(value) + ": " + why);
    }

    /** A server value fit for an error message: quoted, control characters escaped, long values cut. */
    static String quote(String value) {
        if (value == null) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < value.length() && i < MAX_QUOTED; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isISOControl(c)) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (value.length() > MAX_QUOTED) {
            b.append("...(").append(value.length()).append(" chars)");
        }
        return b.append('\'').toString();
    }
}
