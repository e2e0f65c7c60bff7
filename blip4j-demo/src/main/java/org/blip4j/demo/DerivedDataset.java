package org.blip4j.demo;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.blip4j.util.AtomicFiles;

/**
 * A pre-training dataset picked from a finished CapFilt run's records: every web and synthetic text is in its part
 * files ({@code parts/part-NNNNN.jsonl}) with its verdict and provenance, so "filter only", "captioner only" or "the
 * first K candidates" need no second run. Written like {@code bootstrapped.json} (BLIP JSON, one record per line,
 * chosen part records in part order, then the run's human pairs), streamed and atomically.
 */
final class DerivedDataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DerivedDataset() {
    }

    /** Web texts the filter kept, synthetic captions the filter kept: what the run's bootstrapped.json holds. */
    static final Predicate<JsonNode> KEPT = n -> n.path("kept").asBoolean(true);
    static final Predicate<JsonNode> ALL = n -> true;
    static final Predicate<JsonNode> NOTHING = n -> false;

    /** Kept synthetic captions among the first {@code k} candidates of each captioner. */
    static Predicate<JsonNode> keptFirstCandidates(int k) {
        return n -> KEPT.test(n) && n.path("candidate").asInt(0) < k;
    }

    /** @return the records written (human pairs included) */
    static long write(Path capfiltRun, Predicate<JsonNode> web, Predicate<JsonNode> synthetic, Path out)
            throws IOException {
        List<Path> parts = new ArrayList<>();
        Path dir = capfiltRun.resolve("parts");
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "part-*.jsonl")) {
            s.forEach(parts::add);
        }
        parts.sort(null);
        if (parts.isEmpty()) {
            throw new IOException(dir + ": no CapFilt part files");
        }
        long[] count = {0};
        Files.createDirectories(out.toAbsolutePath().getParent());
        AtomicFiles.write(out, os -> {
            RecordWriter w = new RecordWriter(os);
            for (Path p : parts) {
                try (BufferedReader r = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                    int lineNo = 0;
                    for (String line; (line = r.readLine()) != null; ) {
                        lineNo++;
                        if (line.isBlank()) {
                            continue;
                        }
                        JsonNode n = JSON.readTree(line);
                        String source = n.path("source").asText("");
                        boolean take = switch (source) {
                            case "web" -> web.test(n);
                            case "synthetic" -> synthetic.test(n);
                            case "" -> false; // a skipped-image line
                            default -> throw new IOException(p + ":" + lineNo + ": unexpected source '" + source
                                    + "'");
                        };
                        if (take) {
                            ((ObjectNode) n).remove("kept");
                            w.add(n);
                        }
                    }
                }
            }
            // the human pairs as the run copied them (the last records of its bootstrapped.json)
            try (JsonParser jp = JSON.getFactory().createParser(capfiltRun.resolve("bootstrapped.json").toFile())) {
                if (jp.nextToken() != JsonToken.START_ARRAY) {
                    throw new IOException(capfiltRun.resolve("bootstrapped.json") + ": not a JSON array");
                }
                while (jp.nextToken() == JsonToken.START_OBJECT) {
                    JsonNode n = jp.readValueAsTree();
                    if ("human".equals(n.path("source").asText())) {
                        w.add(n);
                    }
                }
            }
            w.finish();
            count[0] = w.records;
        });
        return count[0];
    }

    /** One record per line, as {@code bootstrapped.json}. */
    private static final class RecordWriter {
        private final OutputStream os;
        long records;

        RecordWriter(OutputStream os) throws IOException {
            this.os = os;
            os.write("[\n".getBytes(StandardCharsets.UTF_8));
        }

        void add(JsonNode n) throws IOException {
            os.write(((records++ == 0 ? "" : ",\n") + JSON.writeValueAsString(n)).getBytes(StandardCharsets.UTF_8));
        }

        void finish() throws IOException {
            os.write("\n]\n".getBytes(StandardCharsets.UTF_8));
        }
    }
}
