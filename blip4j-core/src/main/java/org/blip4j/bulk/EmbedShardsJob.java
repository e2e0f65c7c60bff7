package org.blip4j.bulk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.data.ShardReport;
import org.blip4j.data.ShardSample;
import org.blip4j.task.Blip;
import org.blip4j.task.Embedder;
import org.blip4j.task.EmbeddingFiles;
import org.blip4j.task.TextOptions;

/**
 * Bulk ITC image embedding of webdataset shards: per shard, {@code {"shard", "key", "embedding": [...]}} lines in
 * {@code OUT.parts/NAME.jsonl}; {@link #assemble} writes the matrix ({@code OUT}, safetensors or .npy) and its
 * index of {@code shard/key} ids, rows in shard order. Images stream one batch at a time.
 */
public final class EmbedShardsJob extends SingleModelShardJob {
    private static final long serialVersionUID = 1L;

    public EmbedShardsJob(String model, String device, int threads, Path out, int batchSize) {
        super(model, device, threads, out, batchSize);
    }

    @Override
    String kind() {
        return "embed";
    }

    @Override
    public Path partsDir() {
        return Path.of(out + ".parts");
    }

    @Override
    public int computeSlice(Path shard, int from, int to, Path file, Blip blip) throws IOException {
        ShardReport[] report = new ShardReport[1];
        String[] error = new String[1];
        List<ShardSample> samples = ShardPartWriter.read(shard, from, to, report, error);
        Embedder embedder = new Embedder(blip, TextOptions.retrieval(), batchSize);
        String name = shard.getFileName().toString();
        ShardPartWriter.write(file, shard, report[0], error[0], samples == null ? null : (g, skipped) -> {
            ShardPartWriter.decodedBatches(samples, batchSize, skipped, (ok, images) -> {
                float[][] v = embedder.embedImages(images);
                for (int j = 0; j < ok.size(); j++) {
                    g.writeStartObject();
                    g.writeStringField("shard", name);
                    g.writeStringField("key", ok.get(j).key());
                    g.writeArrayFieldStart("embedding");
                    for (float x : v[j]) {
                        g.writeNumber(x);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                    g.writeRaw('\n');
                }
            });
            ShardPartWriter.writeSkipped(g, name, skipped);
        });
        return samples == null ? 0 : samples.size();
    }

    /** Writes the matrix and its index ({@code shard/key} per row, shard order). Holds N x D floats. */
    public String assemble(List<Path> shards) throws IOException {
        List<String> ids = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        ShardPartWriter.Totals t = ShardPartWriter.forEachResult(this, shards, (line, n) -> {
            ids.add(n.get("shard").asText() + "/" + n.get("key").asText());
            var e = n.get("embedding");
            float[] v = new float[e.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = Float.parseFloat(e.get(i).decimalValue().toString());
            }
            rows.add(v);
        });
        EmbeddingFiles.write(Path.of(out), ids, rows.toArray(float[][]::new));
        return t.records() + " embeddings of " + shards.size() + " shards in " + out + "; " + t.unreadableImages()
                + " unreadable image(s), " + t.corruptShards() + " unreadable shard(s)";
    }
}
