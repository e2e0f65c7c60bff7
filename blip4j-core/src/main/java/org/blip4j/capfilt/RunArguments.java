package org.blip4j.capfilt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.util.AtomicFiles;

/**
 * The arguments that determine a run's part files, stored as {@code OUT/capfilt.json} with their SHA-256. Parts
 * computed under other arguments must not be mixed into one dataset, so a resume with different ones is refused.
 * Batch size, shard writing and noise labels are left out: they change no part.
 */
final class RunArguments {
    static final String FILE = "capfilt.json";
    // 2: synthetic records name their captioner and candidate; per-image duplicates dropped; filter ensembles
    private static final int VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final Map<String, Object> args;

    private RunArguments(Map<String, Object> args) {
        this.args = args;
    }

    static RunArguments of(CapfiltConfig c, CapfiltOptions o) throws IOException {
        GenerationOptions g = o.generation();
        Map<String, Object> a = new TreeMap<>();
        a.put("version", VERSION);
        a.put("captioner", c.captioner());
        a.put("filter", c.filter());
        if (c.shardInput()) {
            // each shard by name and size: a shard rewritten in place, added or removed changes the run
            List<List<Object>> shards = new ArrayList<>();
            for (Path s : c.webShards()) {
                shards.add(List.of(s.toAbsolutePath().normalize().toString(), Files.size(s)));
            }
            a.put("web_shards", shards);
        } else {
            a.put("data", c.data().toAbsolutePath().normalize().toString());
            a.put("data_bytes", Files.size(c.data())); // catches an input rewritten in place
        }
        a.put("images", c.images() == null ? null : c.images().toAbsolutePath().normalize().toString());
        a.put("human", c.human() == null ? null : c.human().toAbsolutePath().normalize().toString());
        a.put("shard_size", c.shardSize());
        a.put("threshold", o.threshold());
        a.put("filter_rule", o.filterRule().label());
        a.put("prompt", o.prompt());
        a.put("strategy", g.strategy().name().toLowerCase(java.util.Locale.ROOT));
        a.put("num_beams", g.numBeams());
        a.put("num_captions", g.numReturnSequences());
        a.put("top_p", g.topP());
        a.put("top_k", g.topK());
        a.put("temperature", g.temperature());
        a.put("repetition_penalty", g.repetitionPenalty());
        a.put("length_penalty", g.lengthPenalty());
        a.put("max_length", g.maxLength());
        a.put("min_length", g.minLength());
        a.put("seed", g.seed());
        return new RunArguments(a);
    }

    String sha256() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(args));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Records the arguments in a fresh output directory, or checks that they equal the recorded ones.
     *
     * @throws CapfiltArgumentsException naming the arguments that differ
     */
    void recordOrVerify(Path out) throws IOException {
        Path file = out.resolve(FILE);
        ObjectNode mine = JSON.createObjectNode();
        mine.set("args", JSON.valueToTree(args));
        mine.put("sha256", sha256());
        if (!Files.exists(file)) {
            Files.createDirectories(out);
            AtomicFiles.write(file, os -> os.write(JSON.writeValueAsBytes(mine)));
            return;
        }
        JsonNode theirs;
        try {
            theirs = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new CapfiltArgumentsException(file + ": unreadable (" + e.getMessage() + "); use a new --out");
        }
        if (mine.get("sha256").asText().equals(theirs.path("sha256").asText())) {
            return;
        }
        throw new CapfiltArgumentsException(file + ": " + out + " holds a run with other arguments ("
                + differences(mine.get("args"), theirs.path("args"))
                + "); rerun with the same arguments to resume, or use a new --out");
    }

    /** Equal values; a number read back from the file may be an int where ours is a long. */
    private static boolean same(JsonNode a, JsonNode b) {
        if (a != null && b != null && a.isNumber() && b.isNumber()) {
            return a.asText().equals(b.asText());
        }
        return a == null ? b == null : a.equals(b);
    }

    private static String differences(JsonNode mine, JsonNode theirs) {
        List<String> diffs = new ArrayList<>();
        for (Iterator<String> it = mine.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!same(mine.get(k), theirs.get(k))) {
                diffs.add(k + ": was " + theirs.get(k) + ", now " + mine.get(k));
            }
        }
        for (Iterator<String> it = theirs.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!mine.has(k)) {
                diffs.add(k + ": was " + theirs.get(k) + ", now absent");
            }
        }
        return String.join("; ", diffs);
    }

}
