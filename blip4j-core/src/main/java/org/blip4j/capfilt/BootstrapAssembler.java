package org.blip4j.capfilt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.blip4j.data.ImageSource;
import org.blip4j.data.ShardSample;
import org.blip4j.data.WebDatasetReader;
import org.blip4j.data.WebDatasetWriter;
import org.blip4j.util.AtomicFiles;

/**
 * Builds the bootstrapped dataset from the part files: kept web and synthetic texts (in part order) followed by
 * every human pair, written as one BLIP JSON array with a streaming generator (never the whole list in memory),
 * atomically, optionally also as webdataset shards. Feeds every record, kept or not, to the report statistics.
 */
final class BootstrapAssembler {
    static final String OUTPUT = "bootstrapped.json";
    static final String SHARDS = "shards";
    private static final Set<String> SHARD_EXTENSIONS = Set.of("jpg", "jpeg", "png", "webp", "bmp", "gif");

    private final PartStore parts;
    private final CapfiltConfig config;
    private final CapfiltStats stats;

    BootstrapAssembler(PartStore parts, CapfiltConfig config, CapfiltStats stats) {
        this.parts = parts;
        this.config = config;
        this.stats = stats;
    }

    /** @param partCount parts to read, {@code 0..partCount-1}, all of which must exist */
    void assemble(int partCount, int webRecords) throws IOException {
        stats.webRecords(webRecords);
        List<Part> list = new ArrayList<>();
        for (int p = 0; p < partCount; p++) {
            int part = p;
            list.add(new Part(null, v -> parts.read(part, v)));
        }
        assemble(list);
    }

    /** Shard input: one part per shard, in the order the shards were given; all parts must exist. */
    void assembleShards(List<Path> shards) throws IOException {
        List<Part> list = new ArrayList<>();
        for (Path shard : shards) {
            String name = CapfiltConfig.partName(shard);
            list.add(new Part(shard, v -> parts.read(name, v)));
        }
        assemble(list);
    }

    /** A part file and, for shard input, the shard its images are read from when writing output shards. */
    private record Part(Path shard, PartReader reader) {
    }

    @FunctionalInterface
    private interface PartReader {
        void read(PartStore.Visitor v) throws IOException;
    }

    private void assemble(List<Part> partList) throws IOException {
        Path shardDir = config.out().resolve(SHARDS);
        if (config.writeShards()) {
            clearShards(shardDir);
        }
        JsonFactory factory = new JsonFactory();
        AtomicFiles.write(config.out().resolve(OUTPUT), os -> {
            try (WebDatasetWriter shards = config.writeShards()
                    ? WebDatasetWriter.open(shardDir, "capfilt", config.shardSize()) : null) {
                JsonGenerator g = factory.createGenerator(os);
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // AtomicFiles still has to fsync the stream
                g.setPrettyPrinter(new OneRecordPerLine());
                g.writeStartArray();
                Sink sink = new Sink(g, shards);
                for (Part p : partList) {
                    sink.members = shards != null && p.shard() != null ? members(p.shard()) : Map.of();
                    p.reader().read(sink);
                }
                if (config.human() != null) {
                    copyHuman(sink);
                }
                g.writeEndArray();
                g.flush();
                if (shards != null) {
                    shards.finish();
                }
            }
        });
    }

    private void copyHuman(Sink sink) throws IOException {
        try (WebRecordReader r = WebRecordReader.open(config.human(), config.images())) {
            for (WebRecord w; (w = r.next()) != null; ) {
                for (int t = 0; t < w.texts().size(); t++) {
                    sink.record(new CapfiltRecord(w.image(), w.texts().get(t), CapfiltRecord.Source.HUMAN,
                            w.sourceIndex(), t, Double.NaN, Double.NaN, true, null));
                }
            }
        }
    }

    /** Shards of an interrupted assembly are rewritten from scratch: same input, same names. */
    private static void clearShards(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "{*.tar,*.tmp,manifest.json}")) {
            for (Path p : s) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** One record per line: greppable, and diffable between runs. */
    private static final class OneRecordPerLine extends MinimalPrettyPrinter {
        @Override
        public void writeStartArray(JsonGenerator g) throws IOException {
            g.writeRaw("[\n");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(",\n");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            g.writeRaw("\n]\n");
        }
    }

    /** An input shard's image members by key (read again at assembly: parts hold no offsets). */
    private static Map<String, ImageSource.TarMember> members(Path shard) {
        Map<String, ImageSource.TarMember> m = new HashMap<>();
        try {
            for (ShardSample s : WebDatasetReader.create().onShard(r -> { }).readSamples(shard)) {
                m.put(s.key(), s.image());
            }
        } catch (IOException e) {
            // a corrupt shard has no kept records; any that cannot find their image are counted as shard-skipped
        }
        return m;
    }

    /** Writes kept records, counts all of them. */
    private final class Sink implements PartStore.Visitor {
        private final JsonGenerator g;
        private final WebDatasetWriter shards;
        Map<String, ImageSource.TarMember> members = Map.of();

        Sink(JsonGenerator g, WebDatasetWriter shards) {
            this.g = g;
            this.shards = shards;
        }

        @Override
        public void record(CapfiltRecord r) throws IOException {
            stats.add(r);
            if (!r.kept()) {
                return;
            }
            CapfiltRecordJson.write(g, r, false);
            if (shards != null) {
                writeShard(r);
            }
        }

        @Override
        public void skipped(CapfiltStep.Skipped s) {
            stats.skipped(s);
        }

        @Override
        public void shard(ShardSummary s) {
            stats.shard(s);
        }

        private void writeShard(CapfiltRecord r) throws IOException {
            if (r.origin() != null) {
                writeShardMember(r);
                return;
            }
            Path file = config.images().resolve(r.image());
            String name = file.getFileName().toString();
            String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            if (!SHARD_EXTENSIONS.contains(ext) || !Files.isRegularFile(file)) {
                stats.shardSkipped();
                return;
            }
            Map<String, Object> meta = CapfiltRecordJson.toMap(r);
            meta.remove("caption"); // the writer adds it (and KEY.txt)
            shards.write(r.key(), Files.readAllBytes(file), ext, r.caption(), meta);
        }

        private void writeShardMember(CapfiltRecord r) throws IOException {
            ImageSource.TarMember m = members.get(r.origin().key());
            String name = m == null ? "" : m.member();
            String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
            if (m == null || !SHARD_EXTENSIONS.contains(ext)) {
                stats.shardSkipped();
                return;
            }
            byte[] bytes;
            try {
                bytes = m.readBytes();
            } catch (RuntimeException e) {
                stats.shardSkipped();
                return;
            }
            Map<String, Object> meta = CapfiltRecordJson.toMap(r);
            meta.remove("caption");
            shards.write(r.key(), bytes, ext, r.caption(), meta);
        }
    }
}
