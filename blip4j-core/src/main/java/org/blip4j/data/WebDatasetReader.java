package org.blip4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads webdataset tar shards as img2dataset writes them: consecutive members sharing a key ({@code KEY.jpg},
 * {@code KEY.txt}, {@code KEY.json}) form one sample. The caption comes from {@code KEY.txt}, else the
 * {@code "caption"} or {@code "text"} field of {@code KEY.json}.
 *
 * <p>Only tar headers and the small text/JSON members are read; image members become {@link
 * ImageSource.TarMember} references (shard, offset, length), decoded later by the loader. A shard therefore
 * never sits in memory, and the resulting samples can be shuffled like any other. Shards must be uncompressed
 * tars (as img2dataset writes them).
 */
public final class WebDatasetReader {
    private static final Logger LOG = LoggerFactory.getLogger(WebDatasetReader.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp", "bmp", "gif");
    /** Text members above this size are not captions; refuse to buffer them. */
    private static final long MAX_TEXT_BYTES = 1 << 20;
    private static final int MAX_EXAMPLES = 5;

    private final boolean requireCaption;
    private final Consumer<ShardReport> onShard;

    private WebDatasetReader(boolean requireCaption, Consumer<ShardReport> onShard) {
        this.requireCaption = requireCaption;
        this.onShard = onShard;
    }

    /** A reader that drops images without a caption and logs a warning for shards with dropped members. */
    public static WebDatasetReader create() {
        return new WebDatasetReader(true, WebDatasetReader::log);
    }

    /** Whether images without a caption are dropped (training) or kept with no captions (CapFilt input). */
    public WebDatasetReader requireCaption(boolean require) {
        return new WebDatasetReader(require, onShard);
    }

    /** Receives every shard's report (replaces the default logging). */
    public WebDatasetReader onShard(Consumer<ShardReport> listener) {
        return new WebDatasetReader(requireCaption, Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Expands brace patterns ({@code shard-{00000..00009}.tar}) into shard paths, relative ones resolved against
     * {@code baseDir}, in the order given.
     *
     * @throws NoSuchFileException naming the first shard that does not exist
     */
    public static List<Path> shards(Path baseDir, List<String> patterns) throws NoSuchFileException {
        List<Path> out = new ArrayList<>();
        for (String pattern : patterns) {
            for (String name : BraceExpansion.expand(pattern)) {
                Path shard = baseDir.resolve(name);
                if (!Files.isRegularFile(shard)) {
                    throw new NoSuchFileException(shard.toString(), null, "shard not found (pattern " + pattern + ")");
                }
                out.add(shard);
            }
        }
        return out;
    }

    /** All samples of the shards, in shard order. */
    public List<Sample> read(List<Path> shards) throws IOException {
        List<Sample> out = new ArrayList<>();
        for (Path shard : shards) {
            out.addAll(readShard(shard));
        }
        return out;
    }

    /** Samples shard by shard, each shard indexed only when the stream reaches it. */
    public Stream<Sample> stream(List<Path> shards) {
        return shards.stream().flatMap(shard -> {
            try {
                return readShard(shard).stream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public List<Sample> readShard(Path shard) throws IOException {
        if (!Files.isRegularFile(shard)) {
            throw new NoSuchFileException(shard.toString(), null, "shard not found");
        }
        ShardScan scan = new ShardScan(shard);
        try (TarFile tar = openTar(shard)) {
            if (tar.getEntries().isEmpty()) {
                checkEmptyTar(shard);
            }
            Group group = null;
            for (TarArchiveEntry entry : tar.getEntries()) {
                String[] keyExt = keyAndExtension(entry);
                if (keyExt == null) {
                    continue;
                }
                if (group == null || !group.key.equals(keyExt[0])) {
                    scan.finish(group);
                    group = new Group(keyExt[0], scan.groups++);
                }
                scan.add(tar, group, entry, keyExt[1]);
            }
            scan.finish(group);
        }
        ShardReport report = scan.report();
        onShard.accept(report);
        return scan.samples;
    }

    private static TarFile openTar(Path shard) throws IOException {
        try {
            return new TarFile(shard);
        } catch (IOException e) {
            throw new IOException(shard + ": not a readable uncompressed tar: " + e.getMessage(), e);
        }
    }

    /** A tar with no members starts with a zero block; anything else is not a tar that TarFile understood. */
    private static void checkEmptyTar(Path shard) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(shard)) {
            head = in.readNBytes(512);
        }
        for (byte b : head) {
            if (b != 0) {
                throw new IOException(shard + ": not an uncompressed tar (no members could be read)");
            }
        }
    }

    /** webdataset's {@code base_plus_ext}: the key is the path up to the first dot of the file name. */
    private static String[] keyAndExtension(TarArchiveEntry entry) {
        if (!entry.isFile()) {
            return null;
        }
        String name = entry.getName();
        int slash = name.lastIndexOf('/');
        int dot = name.indexOf('.', slash + 1);
        if (dot <= slash + 1 || dot == name.length() - 1) {
            return null;
        }
        return new String[] {name.substring(0, dot), name.substring(dot + 1).toLowerCase(Locale.ROOT)};
    }

    private static void log(ShardReport r) {
        if (!r.clean()) {
            LOG.warn("{}: {} samples; dropped {} without image, {} without caption; {} malformed json; e.g. {}",
                    r.shard(), r.samples(), r.withoutImage(), r.withoutCaption(), r.badMetadata(), r.examples());
        }
    }

    /** Members of one key. */
    private static final class Group {
        final String key;
        final int ordinal;
        TarArchiveEntry image;
        String txtCaption;
        String jsonCaption;

        Group(String key, int ordinal) {
            this.key = key;
            this.ordinal = ordinal;
        }
    }

    /** Accumulates one shard's samples and counts. */
    private final class ShardScan {
        final Path shard;
        final List<Sample> samples = new ArrayList<>();
        final List<String> examples = new ArrayList<>();
        int groups;
        int withoutImage;
        int withoutCaption;
        int badMetadata;

        ShardScan(Path shard) {
            this.shard = shard;
        }

        void add(TarFile tar, Group g, TarArchiveEntry entry, String ext) throws IOException {
            if (IMAGE_EXTENSIONS.contains(ext)) {
                if (entry.isSparse()) {
                    throw new IOException(shard + ": member " + entry.getName() + " is a sparse file (unsupported)");
                }
                if (g.image == null) {
                    g.image = entry;
                }
            } else if (ext.equals("txt")) {
                g.txtCaption = readText(tar, entry).strip();
            } else if (ext.equals("json")) {
                g.jsonCaption = jsonCaption(entry.getName(), readText(tar, entry));
            }
        }

        void finish(Group g) {
            if (g == null) {
                return;
            }
            if (g.image == null) {
                withoutImage++;
                example(g.key + ": no image member");
                return;
            }
            String caption = nonEmpty(g.txtCaption) ? g.txtCaption : g.jsonCaption;
            if (!nonEmpty(caption)) {
                withoutCaption++;
                if (requireCaption) {
                    example(g.image.getName() + ": no caption");
                    return;
                }
            }
            ImageSource source = new ImageSource.TarMember(shard, g.image.getName(), g.image.getDataOffset(),
                    g.image.getSize());
            samples.add(new Sample(g.key, source, nonEmpty(caption) ? List.of(caption) : List.of(),
                    Sample.NO_IMAGE_ID, g.ordinal));
        }

        private String jsonCaption(String member, String text) {
            try {
                JsonNode node = JSON.readTree(text);
                if (node != null && node.isObject()) {
                    for (String field : List.of("caption", "text")) {
                        JsonNode v = node.get(field);
                        if (v != null && v.isTextual()) {
                            return v.asText().strip();
                        }
                    }
                    return null;
                }
            } catch (IOException e) {
                // fall through: reported as malformed metadata
            }
            badMetadata++;
            example(member + ": not a JSON object");
            return null;
        }

        private String readText(TarFile tar, TarArchiveEntry entry) throws IOException {
            if (entry.getSize() > MAX_TEXT_BYTES) {
                throw new IOException(shard + ": member " + entry.getName() + " is " + entry.getSize()
                        + " bytes; caption members are limited to " + MAX_TEXT_BYTES);
            }
            try (InputStream in = tar.getInputStream(entry)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }

        private void example(String what) {
            if (examples.size() < MAX_EXAMPLES) {
                examples.add(what);
            }
        }

        ShardReport report() {
            return new ShardReport(shard, samples.size(), withoutImage, withoutCaption, badMetadata, examples);
        }

        private boolean nonEmpty(String s) {
            return s != null && !s.isEmpty();
        }
    }
}
