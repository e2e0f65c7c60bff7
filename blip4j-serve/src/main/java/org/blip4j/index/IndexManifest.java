package org.blip4j.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.blip4j.util.AtomicFiles;

/**
 * {@code index.json}, the commit point of an index directory: the embedding dimension, the model that wrote it,
 * the directory relative image ids resolve against, and per collection ({@code images}, {@code texts}) how many
 * rows are committed and how many of them the HNSW graph holds. Rows past {@code count} in the data files belong
 * to an append that did not commit and are ignored (and cut off by the next append). Read as untrusted input.
 */
public record IndexManifest(int dim, String model, String base, int hnswAbove, Map<String, Counts> collections) {
    public static final String FILE = "index.json";
    public static final String FORMAT = "blip4j-index";
    public static final Set<String> COLLECTIONS = Set.of("images", "texts");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Committed rows and rows in the HNSW graph (0 = no graph). */
    public record Counts(int count, int hnsw) {
    }

    public IndexManifest {
        collections = Map.copyOf(collections);
    }

    public Counts counts(String collection) {
        return collections.getOrDefault(collection, new Counts(0, 0));
    }

    public IndexManifest with(String collection, Counts c) {
        Map<String, Counts> m = new LinkedHashMap<>(collections);
        m.put(collection, c);
        return new IndexManifest(dim, model, base, hnswAbove, m);
    }

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(FILE));
    }

    public static IndexManifest read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new IOException(dir + ": not an index (no " + FILE + "); build one with 'blip index'");
        }
        JsonNode n;
        try {
            n = JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new IOException(f + ": not valid JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject() || !FORMAT.equals(n.path("format").asText()) || n.path("version").asInt() != 1) {
            throw new IOException(f + ": not a " + FORMAT + " version 1 manifest");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!Set.of("format", "version", "dim", "model", "base", "hnsw_above", "collections").contains(k)) {
                throw new IOException(f + ": unknown key '" + k + "'");
            }
        }
        int dim = n.path("dim").asInt(-1);
        if (dim < 1 || dim > 65536) {
            throw new IOException(f + ": 'dim' must be in 1..65536, got " + n.path("dim"));
        }
        int hnswAbove = n.path("hnsw_above").asInt(-1);
        if (hnswAbove < 0) {
            throw new IOException(f + ": 'hnsw_above' must be ≥ 0");
        }
        Map<String, Counts> cols = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.path("collections").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!COLLECTIONS.contains(e.getKey())) {
                throw new IOException(f + ": unknown collection '" + e.getKey() + "' (images or texts)");
            }
            int count = e.getValue().path("count").asInt(-1);
            int hnsw = e.getValue().path("hnsw").asInt(-1);
            if (count < 0 || hnsw < 0 || hnsw > count) {
                throw new IOException(f + ": collection '" + e.getKey() + "' needs 0 ≤ hnsw ≤ count");
            }
            cols.put(e.getKey(), new Counts(count, hnsw));
        }
        return new IndexManifest(dim, n.path("model").asText(""), n.path("base").asText(""), hnswAbove, cols);
    }

    public void write(Path dir) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT).put("version", 1).put("dim", dim).put("model", model).put("base", base)
                .put("hnsw_above", hnswAbove);
        ObjectNode cols = n.putObject("collections");
        collections.forEach((k, c) -> cols.putObject(k).put("count", c.count()).put("hnsw", c.hnsw()));
        AtomicFiles.writeString(dir.resolve(FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
    }
}
