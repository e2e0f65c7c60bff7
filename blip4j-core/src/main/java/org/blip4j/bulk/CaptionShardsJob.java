package org.blip4j.bulk;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.blip4j.data.ShardReport;
import org.blip4j.data.ShardSample;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.generate.NucleusSampler;
import org.blip4j.task.Blip;
import org.blip4j.task.Caption;
import org.blip4j.task.CaptionOptions;
import org.blip4j.task.Captioner;
import org.blip4j.util.AtomicFiles;

/**
 * Bulk captioning of webdataset shards: per shard, {@code {"shard", "key", "caption", "score"}} lines (one per
 * returned sequence) in the part; sampling seeds derive from (shard, key), so the captions do not depend on who
 * computes which shard. {@link #assemble} writes {@code OUT/captions.jsonl} in shard order.
 */
public final class CaptionShardsJob extends SingleModelShardJob {
    private static final long serialVersionUID = 1L;
    public static final String OUTPUT = "captions.jsonl";

    private final GenerationSpec generation;
    private final String prompt;

    public CaptionShardsJob(String model, String device, int threads, Path out, GenerationOptions generation,
            String prompt, int batchSize) {
        super(model, device, threads, out, batchSize);
        this.generation = new GenerationSpec(generation);
        this.prompt = prompt;
    }

    @Override
    String kind() {
        return "caption";
    }

    @Override
    public Path partsDir() {
        return Path.of(out).resolve("parts");
    }

    @Override
    public int computeSlice(Path shard, int from, int to, Path file, Blip blip) throws IOException {
        ShardReport[] report = new ShardReport[1];
        String[] error = new String[1];
        List<ShardSample> samples = ShardPartWriter.read(shard, from, to, report, error);
        GenerationOptions g = generation.options();
        Captioner captioner = new Captioner(blip, new CaptionOptions(g, prompt, true, batchSize));
        String name = shard.getFileName().toString();
        ShardPartWriter.write(file, shard, report[0], error[0], samples == null ? null : (gen, skipped) -> {
            ShardPartWriter.decodedBatches(samples, batchSize, skipped, (ok, images) -> {
                long[] seeds = new long[ok.size()];
                for (int j = 0; j < seeds.length; j++) {
                    seeds[j] = NucleusSampler.rowSeed(g.seed(), ShardIdentity.seedKey(name, ok.get(j).key()));
                }
                List<List<Caption>> caps = captioner.caption(images, seeds);
                for (int j = 0; j < ok.size(); j++) {
                    for (Caption c : caps.get(j)) {
                        gen.writeStartObject();
                        gen.writeStringField("shard", name);
                        gen.writeStringField("key", ok.get(j).key());
                        gen.writeStringField("caption", c.text());
                        gen.writeNumberField("score", c.score());
                        gen.writeEndObject();
                        gen.writeRaw('\n');
                    }
                }
            });
            ShardPartWriter.writeSkipped(gen, name, skipped);
        });
        return samples == null ? 0 : samples.size();
    }

    /** {@code OUT/captions.jsonl}: every part's caption lines in shard order (streamed). */
    public String assemble(List<Path> shards) throws IOException {
        ShardPartWriter.Totals[] totals = new ShardPartWriter.Totals[1];
        AtomicFiles.write(Path.of(out).resolve(OUTPUT), os -> {
            BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8));
            totals[0] = ShardPartWriter.forEachResult(this, shards, (line, n) -> {
                w.write(line);
                w.write('\n');
            });
            w.flush();
        });
        ShardPartWriter.Totals t = totals[0];
        return t.records() + " captions of " + shards.size() + " shards in " + Path.of(out).resolve(OUTPUT) + "; "
                + t.unreadableImages() + " unreadable image(s), " + t.corruptShards() + " unreadable shard(s)";
    }
}
