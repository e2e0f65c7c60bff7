package org.blip4j.bulk;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.data.MissingImageException;
import org.blip4j.data.ShardReport;
import org.blip4j.data.ShardSample;
import org.blip4j.data.WebDatasetReader;
import org.blip4j.image.ImageDecodeException;
import org.blip4j.image.RgbImage;
import org.blip4j.util.AtomicFiles;

/**
 * The common shape of a bulk job's shard part: result lines, then {@code {"skipped": ...}} lines for unreadable
 * images, then one {@code {"shard_summary": ...}} line; written atomically. A shard that is not a tar gets a part
 * with only its summary and the error (counted, the run goes on).
 */
final class ShardPartWriter {
    // exact decimals: a float written by Jackson parses back to the same float (no rounding through double)
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final JsonFactory FACTORY = JSON.getFactory();

    /** Writes one result line's fields. */
    @FunctionalInterface
    interface Lines {
        void write(JsonGenerator g, List<String> skipped) throws IOException;
    }

    private ShardPartWriter() {
    }

    /** The bulk jobs' reader: images without text are samples too. */
    static WebDatasetReader reader() {
        return WebDatasetReader.create().requireCaption(false);
    }

    /**
     * The shard's samples {@code [from, to)} (images without text included), or null when the shard is not a
     * readable tar; {@code report[0]} gets the whole shard's report.
     */
    static List<ShardSample> read(Path shard, int from, int to, ShardReport[] report, String[] error) {
        try {
            List<ShardSample> all = reader().onShard(r -> report[0] = r).readSamples(shard);
            return all.subList(Math.min(from, all.size()), Math.min(to, all.size()));
        } catch (IOException e) {
            error[0] = String.valueOf(e.getMessage()).replace(shard.toString(), shard.getFileName().toString());
            return null;
        }
    }

    static void write(Path part, Path shard, ShardReport report, String error, Lines lines) throws IOException {
        Files.createDirectories(part.getParent());
        AtomicFiles.write(part, out -> {
            JsonGenerator g = FACTORY.createGenerator(out);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setRootValueSeparator(null); // lines start with '{', not Jackson's default ' '
            List<String> skipped = new ArrayList<>();
            if (lines != null) {
                lines.write(g, skipped);
            }
            g.writeStartObject();
            g.writeStringField("shard_summary", shard.getFileName().toString());
            g.writeNumberField("samples", report == null ? 0 : report.samples());
            g.writeNumberField("unreadable_images", skipped.size());
            if (report != null && !report.skippedMembers().isEmpty()) {
                g.writeObjectFieldStart("skipped_members");
                for (var e : report.skippedMembers().entrySet()) {
                    g.writeNumberField(e.getKey().label(), e.getValue());
                }
                g.writeEndObject();
            }
            if (error != null) {
                g.writeStringField("error", error);
            }
            g.writeEndObject();
            g.writeRaw('\n');
            g.flush();
        });
    }

    /** Totals over parts, for the command's summary line. */
    record Totals(long records, long unreadableImages, long corruptShards) {
    }

    /** One {@code {"skipped": KEY, "shard": NAME}} line per sample whose image could not be decoded. */
    static void writeSkipped(JsonGenerator gen, String shard, List<String> skippedKeys) throws IOException {
        for (String key : skippedKeys) {
            gen.writeStartObject();
            gen.writeStringField("skipped", key);
            gen.writeStringField("shard", shard);
            gen.writeEndObject();
            gen.writeRaw('\n');
        }
    }

    /** Streams the result lines of the shards' parts, in shard order, to {@code each}; returns the totals. */
    static Totals forEachResult(ShardJob<?> job, List<Path> shards, ResultVisitor each) throws IOException {
        long records = 0;
        long unreadable = 0;
        long corrupt = 0;
        for (Path shard : shards) {
            Path part = job.part(shard);
            if (!Files.isRegularFile(part)) {
                throw new IOException(part + ": part of " + shard + " missing; rerun the same command");
            }
            try (BufferedReader in = Files.newBufferedReader(part, StandardCharsets.UTF_8)) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode n = JSON.readTree(line);
                    if (n.has("shard_summary")) {
                        unreadable += n.path("unreadable_images").asLong();
                        corrupt += n.hasNonNull("error") ? 1 : 0;
                    } else if (!n.has("skipped")) {
                        records++;
                        each.accept(line, n);
                    }
                }
            }
        }
        return new Totals(records, unreadable, corrupt);
    }

    /** One batch of samples whose images decoded, with those images in the same order. */
    @FunctionalInterface
    interface DecodedBatch {
        void accept(List<ShardSample> ok, List<RgbImage> images) throws IOException;
    }

    /**
     * Walks {@code samples} in batches of {@code batchSize}, decoding each image; a sample whose image does not
     * decode is added to {@code skipped} (by key) and left out of its batch; an empty batch is not passed on.
     */
    static void decodedBatches(List<ShardSample> samples, int batchSize, List<String> skipped, DecodedBatch each)
            throws IOException {
        for (int i = 0; i < samples.size(); i += batchSize) {
            List<ShardSample> ok = new ArrayList<>();
            List<RgbImage> images = new ArrayList<>();
            for (ShardSample s : samples.subList(i, Math.min(samples.size(), i + batchSize))) {
                try {
                    images.add(s.image().load());
                    ok.add(s);
                } catch (ImageDecodeException | MissingImageException e) {
                    skipped.add(s.key());
                }
            }
            if (!ok.isEmpty()) {
                each.accept(ok, images);
            }
        }
    }

    @FunctionalInterface
    interface ResultVisitor {
        void accept(String line, JsonNode node) throws IOException;
    }
}
