package org.blip4j.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
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
 *
 * <p>Shards are untrusted: member names are never used as paths, links and devices are never followed, sparse
 * and oversized members are never read, and a truncated shard yields what precedes the truncation. Each such
 * member is skipped and counted by reason in the shard's {@link ShardReport} ({@link TarIndex} reads the headers).
 */
public final class WebDatasetReader {
    private static final Logger LOG = LoggerFactory.getLogger(WebDatasetReader.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp", "bmp", "gif");
    /** Text members above this size are not captions; refuse to buffer them. */
    private static final long MAX_TEXT_BYTES = 1 << 20;
    private static final int MAX_EXAMPLES = 5;

    /** Default cap on an image member: far above any web image, far below a decompression or sparse bomb. */
    public static final long DEFAULT_MAX_MEMBER_BYTES = 64L << 20;

    private final boolean requireCaption;
    private final Consumer<ShardReport> onShard;
    private final long maxMemberBytes;

    private WebDatasetReader(boolean requireCaption, Consumer<ShardReport> onShard, long maxMemberBytes) {
        this.requireCaption = requireCaption;
        this.onShard = onShard;
        this.maxMemberBytes = maxMemberBytes;
    }

    /** A reader that drops images without a caption and logs a warning for shards with dropped members. */
    public static WebDatasetReader create() {
        return new WebDatasetReader(true, WebDatasetReader::log, DEFAULT_MAX_MEMBER_BYTES);
    }

    /** Whether images without a caption are dropped (training) or kept with no captions (CapFilt input). */
    public WebDatasetReader requireCaption(boolean require) {
        return new WebDatasetReader(require, onShard, maxMemberBytes);
    }

    /** Receives every shard's report (replaces the default logging). */
    public WebDatasetReader onShard(Consumer<ShardReport> listener) {
        return new WebDatasetReader(requireCaption, Objects.requireNonNull(listener, "listener"), maxMemberBytes);
    }

    /** Image members larger than this are skipped and counted as {@link MemberSkip#TOO_LARGE}. */
    public WebDatasetReader maxMemberBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("member cap must be >= 1 byte, got " + bytes);
        }
        return new WebDatasetReader(requireCaption, onShard, bytes);
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
        List<Sample> out = new ArrayList<>();
        for (ShardSample s : readSamples(shard)) {
            out.add(new Sample(s.key(), s.image(), s.captions(), Sample.NO_IMAGE_ID, s.ordinal()));
        }
        return out;
    }

    /**
     * One shard's keys with their metadata, in member order. Members that must not be used (links, devices, unsafe
     * names, sparse or oversized members, whatever follows a truncation) are skipped and counted in the shard's
     * report; a shard that is not a tar at all is an error.
     *
     * @throws IOException naming the shard when it is missing or not an uncompressed tar
     */
    public List<ShardSample> readSamples(Path shard) throws IOException {
        if (!Files.isRegularFile(shard)) {
            throw new NoSuchFileException(shard.toString(), null, "shard not found");
        }
        TarIndex.Listing listing = TarIndex.read(shard);
        if (listing.validHeaders() == 0 && listing.truncated() != null) {
            throw new IOException(shard + ": not an uncompressed tar (" + listing.truncated() + ")");
        }
        ShardScan scan = new ShardScan(shard);
        try (FileChannel ch = FileChannel.open(shard)) {
            Group group = null;
            for (TarIndex.Member m : listing.members()) {
                if (m.skip() != null) {
                    scan.skip(m.skip(), m.name());
                    continue;
                }
                String[] keyExt = keyAndExtension(m.name());
                if (keyExt == null) {
                    continue;
                }
                if (group == null || !group.key.equals(keyExt[0])) {
                    scan.finish(group);
                    group = new Group(keyExt[0], scan.groups++);
                }
                scan.add(ch, group, m, keyExt[1]);
            }
            scan.finish(group);
        }
        if (listing.truncated() != null) {
            scan.skip(MemberSkip.TRUNCATED, listing.truncated());
        }
        ShardReport report = scan.report();
        onShard.accept(report);
        return scan.samples;
    }

    /** webdataset's {@code base_plus_ext}: the key is the path up to the first dot of the file name. */
    private static String[] keyAndExtension(String member) {
        String name = member.startsWith("./") ? member.substring(2) : member;
        int slash = name.lastIndexOf('/');
        int dot = name.indexOf('.', slash + 1);
        if (dot <= slash + 1 || dot == name.length() - 1) {
            return null;
        }
        return new String[] {name.substring(0, dot), name.substring(dot + 1).toLowerCase(Locale.ROOT)};
    }

    private static void log(ShardReport r) {
        if (!r.clean()) {
            LOG.warn("{}: {} samples; dropped {} without image, {} without caption; {} malformed json; "
                    + "members skipped {}; e.g. {}", r.shard(), r.samples(), r.withoutImage(), r.withoutCaption(),
                    r.badMetadata(), r.skippedMembers(), r.examples());
        }
    }

    /** Members of one key. */
    private static final class Group {
        final String key;
        final int ordinal;
        TarIndex.Member image;
        String txtCaption;
        String jsonCaption;
        ObjectNode metadata;

        Group(String key, int ordinal) {
            this.key = key;
            this.ordinal = ordinal;
        }
    }

    /** Accumulates one shard's samples and counts. */
    private final class ShardScan {
        final Path shard;
        final List<ShardSample> samples = new ArrayList<>();
        final Map<MemberSkip, Integer> skipped = new EnumMap<>(MemberSkip.class);
        final List<String> examples = new ArrayList<>();
        int groups;
        int withoutImage;
        int withoutCaption;
        int badMetadata;

        ShardScan(Path shard) {
            this.shard = shard;
        }

        void skip(MemberSkip reason, String what) {
            skipped.merge(reason, 1, Integer::sum);
            example(what + ": " + reason.label());
        }

        void add(FileChannel ch, Group g, TarIndex.Member m, String ext) throws IOException {
            if (IMAGE_EXTENSIONS.contains(ext)) {
                if (m.size() > maxMemberBytes) {
                    skip(MemberSkip.TOO_LARGE, m.name() + " (" + m.size() + " bytes)");
                } else if (g.image == null) {
                    g.image = m;
                }
            } else if (ext.equals("txt") || ext.equals("json")) {
                if (m.size() > MAX_TEXT_BYTES) {
                    skip(MemberSkip.TOO_LARGE, m.name() + " (" + m.size() + " bytes)");
                    return;
                }
                String text = readText(ch, m);
                if (ext.equals("txt")) {
                    g.txtCaption = text.strip();
                } else {
                    g.metadata = jsonObject(m.name(), text);
                    g.jsonCaption = g.metadata == null ? null : jsonCaption(g.metadata);
                }
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
                    example(g.image.name() + ": no caption");
                    return;
                }
            }
            ImageSource.TarMember source = new ImageSource.TarMember(shard, g.image.name(), g.image.offset(),
                    g.image.size());
            samples.add(new ShardSample(g.key, source, nonEmpty(caption) ? List.of(caption) : List.of(),
                    g.metadata, g.ordinal));
        }

        private ObjectNode jsonObject(String member, String text) {
            try {
                JsonNode node = JSON.readTree(text);
                if (node instanceof ObjectNode o) {
                    return o;
                }
            } catch (IOException e) {
                // fall through: reported as malformed metadata
            }
            badMetadata++;
            example(member + ": not a JSON object");
            return null;
        }

        private String jsonCaption(ObjectNode node) {
            for (String field : List.of("caption", "text")) {
                JsonNode v = node.get(field);
                if (v != null && v.isTextual()) {
                    return v.asText().strip();
                }
            }
            return null;
        }

        private String readText(FileChannel ch, TarIndex.Member m) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate((int) m.size());
            while (buf.hasRemaining()) {
                if (ch.read(buf, m.offset() + buf.position()) < 0) {
                    throw new EOFException(shard + ": member " + m.name() + " ends early");
                }
            }
            return new String(buf.array(), StandardCharsets.UTF_8);
        }

        private void example(String what) {
            if (examples.size() < MAX_EXAMPLES) {
                examples.add(what);
            }
        }

        ShardReport report() {
            return new ShardReport(shard, samples.size(), withoutImage, withoutCaption, badMetadata, examples,
                    skipped);
        }

        private boolean nonEmpty(String s) {
            return s != null && !s.isEmpty();
        }
    }
}
