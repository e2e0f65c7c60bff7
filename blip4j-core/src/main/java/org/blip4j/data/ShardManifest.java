package org.blip4j.data;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.util.AtomicFiles;

/**
 * The shards a {@link WebDatasetWriter} produced, written next to them as {@value #FILE_NAME}:
 * {@code {"samples": N, "shards": [{"name": "capfilt-00000.tar", "count": 1000}, ...]}}.
 */
public record ShardManifest(@JsonProperty("samples") long samples, @JsonProperty("shards") List<Shard> shards) {
    public static final String FILE_NAME = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One shard: its file name (relative to the manifest) and sample count. */
    public record Shard(@JsonProperty("name") String name, @JsonProperty("count") int count) {
    }

    public ShardManifest {
        shards = List.copyOf(shards);
    }

    static ShardManifest of(List<Shard> shards) {
        return new ShardManifest(shards.stream().mapToLong(Shard::count).sum(), shards);
    }

    public static ShardManifest read(Path file) throws IOException {
        try {
            return JSON.readValue(file.toFile(), ShardManifest.class);
        } catch (IOException e) {
            throw new IOException(file + ": not a shard manifest: " + e.getMessage(), e);
        }
    }

    /** Written atomically, so a reader sees either the previous manifest or the complete new one. */
    public void write(Path file) throws IOException {
        byte[] json = JSON.writeValueAsBytes(this); // not writeValue(out): Jackson would close the stream early
        AtomicFiles.write(file, out -> out.write(json));
    }

    /** Shard paths resolved against the manifest's directory, in order. */
    @JsonIgnore
    public List<Path> shardPaths(Path dir) {
        List<Path> out = new ArrayList<>(shards.size());
        for (Shard s : shards) {
            out.add(dir.resolve(s.name()));
        }
        return out;
    }
}
