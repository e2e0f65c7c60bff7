package org.blip4j.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.blip4j.util.AtomicFiles;

/**
 * Writes webdataset shards ({@code PREFIX-00000.tar}, ...) readable by {@link WebDatasetReader} and by Python
 * webdataset: per sample {@code KEY.EXT} (image bytes as given), {@code KEY.txt} (caption) and {@code KEY.json}
 * (metadata plus key and caption), like img2dataset.
 *
 * <p>A new shard starts every {@code samplesPerShard} samples. Each shard is written as {@code .tar.tmp}, synced
 * and renamed, so a crash never leaves a truncated {@code .tar} behind. {@link #finish()} closes the last shard
 * and writes {@value ShardManifest#FILE_NAME}; {@link #close()} without {@code finish()} (an exception escaped
 * the writing loop) deletes the unfinished shard and writes no manifest. One writer per directory.
 */
public final class WebDatasetWriter implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp", "bmp", "gif");

    private final Path dir;
    private final String prefix;
    private final int samplesPerShard;
    private final List<ShardManifest.Shard> done = new ArrayList<>();
    private OpenShard current;
    private ShardManifest manifest;
    /** Set when a write failed part-way: the open shard may hold half a sample and must not be committed. */
    private boolean failed;

    private WebDatasetWriter(Path dir, String prefix, int samplesPerShard) {
        this.dir = dir;
        this.prefix = prefix;
        this.samplesPerShard = samplesPerShard;
    }

    public static WebDatasetWriter open(Path dir, String prefix, int samplesPerShard) throws IOException {
        if (samplesPerShard <= 0) {
            throw new IllegalArgumentException("samplesPerShard must be positive, got " + samplesPerShard);
        }
        if (prefix.contains("/") || prefix.contains("\\") || prefix.equals(".") || prefix.equals("..")) {
            throw new IllegalArgumentException("shard prefix must be a plain file-name prefix, got \"" + prefix + "\"");
        }
        Files.createDirectories(dir);
        return new WebDatasetWriter(dir, prefix, samplesPerShard);
    }

    public void write(String key, byte[] image, String imageExtension, String caption) throws IOException {
        write(key, image, imageExtension, caption, Map.of());
    }

    /**
     * @param caption  written as {@code KEY.txt}; null writes no text member (an uncaptioned image)
     * @param metadata extra fields for {@code KEY.json} (e.g. url, source key, ITM score)
     */
    public void write(String key, byte[] image, String imageExtension, String caption, Map<String, ?> metadata)
            throws IOException {
        checkWritable();
        checkKey(key);
        String ext = imageExtension.toLowerCase(Locale.ROOT);
        if (!IMAGE_EXTENSIONS.contains(ext)) {
            throw new IllegalArgumentException("image extension must be one of " + IMAGE_EXTENSIONS + ", got " + ext);
        }
        Map<String, Object> json = new LinkedHashMap<>(metadata);
        json.put("key", key);
        if (caption != null) {
            json.put("caption", caption);
        }
        byte[] jsonBytes = JSON.writeValueAsBytes(json);
        failed = true;
        if (current == null) {
            // an empty prefix names shards as img2dataset does: 00000.tar, 00001.tar, ...
            current = new OpenShard(dir, prefix.isEmpty() ? String.format(Locale.ROOT, "%05d.tar", done.size())
                    : String.format(Locale.ROOT, "%s-%05d.tar", prefix, done.size()));
        }
        current.add(key + "." + ext, image);
        if (caption != null) {
            current.add(key + ".txt", caption.getBytes(StandardCharsets.UTF_8));
        }
        current.add(key + ".json", jsonBytes);
        current.count++;
        if (current.count == samplesPerShard) {
            commitShard();
        }
        failed = false;
    }

    /** Closes the last shard and writes the manifest; returns it. */
    public ShardManifest finish() throws IOException {
        if (manifest == null) {
            checkWritable();
            if (current != null) {
                commitShard();
            }
            ShardManifest m = ShardManifest.of(done);
            m.write(dir.resolve(ShardManifest.FILE_NAME));
            manifest = m;
        }
        return manifest;
    }

    /** Shards committed so far. */
    public List<ShardManifest.Shard> shards() {
        return List.copyOf(done);
    }

    @Override
    public void close() throws IOException {
        if (manifest == null && current != null) {
            current.abort();
            current = null;
        }
    }

    private void commitShard() throws IOException {
        current.commit();
        done.add(new ShardManifest.Shard(current.name, current.count));
        current = null;
    }

    private void checkWritable() {
        if (manifest != null) {
            throw new IllegalStateException("writer already finished");
        }
        if (failed) {
            throw new IllegalStateException("an earlier write failed; the shard in progress is discarded on close()");
        }
    }

    private static void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        // The reader splits member names at the first dot, so a dot in the key would corrupt the grouping.
        if (key.isBlank() || key.indexOf('.') >= 0 || key.indexOf('/') >= 0) {
            throw new IllegalArgumentException("sample key must be non-blank without '.' or '/', got \"" + key + "\"");
        }
    }

    /** The shard being written, as a temporary file. */
    private static final class OpenShard {
        final String name;
        final Path target;
        final Path tmp;
        final FileChannel channel;
        final OutputStream buffered;
        final TarArchiveOutputStream tar;
        int count;

        OpenShard(Path dir, String name) throws IOException {
            this.name = name;
            this.target = dir.resolve(name);
            this.tmp = dir.resolve(name + ".tmp");
            this.channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            this.buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            this.tar = new TarArchiveOutputStream(buffered, StandardCharsets.UTF_8.name());
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        }

        void add(String member, byte[] data) throws IOException {
            TarArchiveEntry entry = new TarArchiveEntry(member);
            entry.setSize(data.length);
            entry.setModTime(0L); // reproducible shards
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        }

        void commit() throws IOException {
            tar.finish();
            tar.flush();
            buffered.flush();
            channel.force(true);
            tar.close();
            AtomicFiles.moveAtomically(tmp, target);
        }

        void abort() throws IOException {
            try {
                tar.close();
            } catch (IOException | RuntimeException e) {
                // the shard is being discarded; a close failure changes nothing
            }
            Files.deleteIfExists(tmp);
        }
    }
}
