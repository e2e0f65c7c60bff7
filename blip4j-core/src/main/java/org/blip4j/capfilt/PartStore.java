package org.blip4j.capfilt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.blip4j.util.AtomicFiles;

/**
 * The per-part results of a run, {@code OUT/parts/part-NNNNN.jsonl}: one JSON line per text (kept or removed) and
 * one {@code {"skipped": image, ...}} line per unreadable image. Each file is written to a temporary sibling and
 * renamed, so a part file that exists is complete: that is what makes a killed run resumable.
 */
class PartStore { // not final: tests observe the assembly part by part
    static final String DIR = "parts";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    /** Receives a part's lines in file order. */
    interface Visitor {
        void record(CapfiltRecord r) throws IOException;

        void skipped(CapfiltStep.Skipped s) throws IOException;

        /** The shard summary line of a shard input's part. */
        default void shard(ShardSummary s) throws IOException {
        }
    }

    private final Path dir;

    PartStore(Path out) {
        this.dir = out.resolve(DIR);
    }

    Path path(int part) {
        return path(String.format(Locale.ROOT, "part-%05d", part));
    }

    /** A named part: {@code OUT/parts/NAME.jsonl} (shard input names parts after their shards). */
    Path path(String name) {
        return dir.resolve(name + ".jsonl");
    }

    boolean done(int part) {
        return Files.isRegularFile(path(part));
    }

    boolean done(String name) {
        return Files.isRegularFile(path(name));
    }

    /** Deletes temporary files a killed run left behind (AtomicFiles names them {@code .NAME.*.tmp}). */
    void discardPartialFiles() throws IOException {
        discardPartialFiles(dir);
        discardPartialFiles(dir.getParent()); // an interrupted assembly's bootstrapped.json, report, chart
    }

    private static void discardPartialFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "{.*.tmp,.*.tmp.png}")) {
            for (Path p : s) {
                Files.deleteIfExists(p);
            }
        }
    }

    void write(int part, CapfiltStep.Result result) throws IOException {
        write(path(part), result, null);
    }

    /** A shard's part: its records, unreadable images and (last) the shard summary line. */
    void write(String name, CapfiltStep.Result result, ShardSummary summary) throws IOException {
        write(path(name), result, summary);
    }

    static void write(Path file, CapfiltStep.Result result, ShardSummary summary) throws IOException {
        AtomicFiles.write(file, out -> {
            JsonGenerator g = FACTORY.createGenerator(out);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET); // AtomicFiles still has to fsync the stream
            // every line starts with '{' (not Jackson's default ' ' between root values): slices of a shard are
            // concatenated line by line into its part (ShardSlices)
            g.setRootValueSeparator(null);
            for (CapfiltRecord r : result.records()) {
                CapfiltRecordJson.write(g, r, true);
                g.writeRaw('\n');
            }
            for (CapfiltStep.Skipped s : result.skipped()) {
                g.writeStartObject();
                g.writeStringField("skipped", s.image());
                g.writeNumberField("source_index", s.sourceIndex());
                g.writeStringField("reason", s.reason());
                g.writeEndObject();
                g.writeRaw('\n');
            }
            if (summary != null) {
                g.writeStartObject();
                g.writeStringField("shard_summary", summary.shard());
                g.writeNumberField("samples", summary.samples());
                g.writeNumberField("without_image", summary.withoutImage());
                g.writeNumberField("without_caption", summary.withoutCaption());
                g.writeNumberField("bad_metadata", summary.badMetadata());
                g.writeObjectFieldStart("skipped_members");
                for (var e : new java.util.TreeMap<>(summary.skippedMembers()).entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
                if (summary.error() != null) {
                    g.writeStringField("error", summary.error());
                }
                g.writeEndObject();
                g.writeRaw('\n');
            }
            g.flush();
        });
    }

    private static ShardSummary summary(JsonNode n) {
        java.util.Map<String, Integer> skips = new java.util.TreeMap<>();
        n.path("skipped_members").fields().forEachRemaining(e -> skips.put(e.getKey(), e.getValue().asInt()));
        return new ShardSummary(n.get("shard_summary").asText(), n.path("samples").asInt(),
                n.path("without_image").asInt(), n.path("without_caption").asInt(), n.path("bad_metadata").asInt(),
                skips, n.hasNonNull("error") ? n.get("error").asText() : null);
    }

    /** Streams a part's lines (one line in memory at a time). */
    void read(int part, Visitor visitor) throws IOException {
        read(path(part), visitor);
    }

    void read(String name, Visitor visitor) throws IOException {
        read(path(name), visitor);
    }

    private static void read(Path p, Visitor visitor) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String where = p + ":" + lineNo;
                JsonNode n;
                try {
                    n = JSON.readTree(line);
                } catch (IOException e) {
                    throw new IOException(where + ": invalid JSON (delete the part file to recompute it)", e);
                }
                if (n.has("shard_summary")) {
                    visitor.shard(summary(n));
                } else if (n.has("skipped")) {
                    visitor.skipped(new CapfiltStep.Skipped(n.path("source_index").asInt(), n.get("skipped").asText(),
                            n.path("reason").asText()));
                } else {
                    visitor.record(CapfiltRecordJson.read(n, where));
                }
            }
        }
    }
}
