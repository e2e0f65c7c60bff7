package org.blip4j.capfilt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.blip4j.data.ShardReport;
import org.blip4j.data.ShardSample;
import org.blip4j.data.WebDatasetReader;

/**
 * CapFilt of one input shard, the unit of work of shard input on any engine (threads here, Spark tasks in
 * {@code blip4j-spark}): read the shard's samples, run {@link CapfiltStep} over them and write
 * {@code OUT/parts/NAME.jsonl} atomically, the shard's summary last. A shard that is not a readable tar gives a
 * part holding only its summary with the error: counted and reported, the run goes on. Rerunning a shard replaces
 * its part with the same bytes (a retried or speculative task never duplicates records).
 */
public final class ShardParts {
    private ShardParts() {
    }

    /** Whether the shard's part file exists (a rerun skips it). */
    public static boolean done(Path out, Path shard) {
        return new PartStore(out).done(CapfiltConfig.partName(shard));
    }

    /** @return records processed (samples read from the shard) */
    public static int compute(Path shard, Path out, CapfiltModels models, CapfiltOptions options,
            IntConsumer progress) throws IOException {
        return compute(shard, 0, Integer.MAX_VALUE, new PartStore(out).path(CapfiltConfig.partName(shard)), models,
                options, progress);
    }

    /**
     * CapFilt of the shard's samples {@code [from, to)} (by position), written atomically to {@code file} in the
     * part format with the whole shard's summary last: a slice of a shard that {@code ShardSlices} concatenates.
     *
     * @return records processed (samples of the slice)
     */
    public static int compute(Path shard, int from, int to, Path file, CapfiltModels models, CapfiltOptions options,
            IntConsumer progress) throws IOException {
        String name = shard.getFileName().toString();
        ShardReport[] report = new ShardReport[1];
        List<ShardSample> samples;
        try {
            samples = WebDatasetReader.create().onShard(r -> report[0] = r).readSamples(shard);
        } catch (IOException e) {
            String why = String.valueOf(e.getMessage()).replace(shard.toString(), name);
            PartStore.write(file, new CapfiltStep.Result(List.of(), List.of()), ShardSummary.failed(name, why));
            return 0;
        }
        List<ShardSample> slice = samples.subList(Math.min(from, samples.size()), Math.min(to, samples.size()));
        List<WebRecord> records = new ArrayList<>(slice.size());
        for (ShardSample s : slice) {
            String member = s.image().member();
            records.add(new WebRecord(s.ordinal(), name + "/" + member, null, s.captions(), s.image(),
                    new ShardOrigin(name, s.key(), s.metadata())));
        }
        CapfiltStep.Result result = CapfiltStep.process(records, models, options, progress);
        PartStore.write(file, relativeNames(result, shard), ShardSummary.of(name, report[0]));
        return records.size();
    }

    /** Unreadable-image reasons name the shard by its absolute path; parts name it by file name only. */
    private static CapfiltStep.Result relativeNames(CapfiltStep.Result r, Path shard) {
        String abs = shard.toString();
        String name = shard.getFileName().toString();
        List<CapfiltStep.Skipped> skipped = new ArrayList<>();
        for (CapfiltStep.Skipped s : r.skipped()) {
            skipped.add(new CapfiltStep.Skipped(s.sourceIndex(), s.image(), s.reason().replace(abs, name)));
        }
        return new CapfiltStep.Result(r.records(), skipped);
    }
}
