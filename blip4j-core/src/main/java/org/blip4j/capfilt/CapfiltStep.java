package org.blip4j.capfilt;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.blip4j.data.MissingImageException;
import org.blip4j.generate.NucleusSampler;
import org.blip4j.image.ImageDecodeException;
import org.blip4j.image.RgbImage;
import org.blip4j.task.Caption;
import org.blip4j.task.CaptionOptions;
import org.blip4j.task.Captioner;
import org.blip4j.task.Matcher;
import org.blip4j.task.TextOptions;

/**
 * CapFilt on one partition of web records: caption each image, score its web and synthetic texts with the filter's
 * ITM head, and mark each kept or removed. A plain function of its arguments (no state survives a call), so any
 * engine can run it per partition; results depend on neither batch size nor partitioning, because each record's
 * sampling seed derives from the run seed and the record's source index.
 */
public final class CapfiltStep {
    private CapfiltStep() {
    }

    /** An image that could not be read, by name. */
    public record Skipped(int sourceIndex, String image, String reason) {
    }

    /** The records of a partition (removed texts included) and its unreadable images. */
    public record Result(List<CapfiltRecord> records, List<Skipped> skipped) {
        public Result {
            records = List.copyOf(records);
            skipped = List.copyOf(skipped);
        }
    }

    public static Result process(List<WebRecord> in, CapfiltModels models, CapfiltOptions options) {
        return process(in, models, options, n -> { });
    }

    /** @param progress told the number of records finished after each batch */
    public static Result process(List<WebRecord> in, CapfiltModels models, CapfiltOptions options,
            IntConsumer progress) {
        Captioner captioner = new Captioner(models.captioner(),
                new CaptionOptions(options.generation(), options.prompt(), true, options.batchSize()));
        Matcher filter = new Matcher(models.filter(), TextOptions.retrieval(), options.batchSize());
        List<CapfiltRecord> out = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        // Decoded images are held one batch at a time, so a partition's size does not bound memory.
        for (int i = 0; i < in.size(); i += options.batchSize()) {
            List<WebRecord> batch = in.subList(i, Math.min(in.size(), i + options.batchSize()));
            List<WebRecord> ok = new ArrayList<>();
            List<RgbImage> images = new ArrayList<>();
            for (WebRecord r : batch) {
                try {
                    images.add(r.load());
                    ok.add(r);
                } catch (ImageDecodeException | MissingImageException e) {
                    skipped.add(new Skipped(r.sourceIndex(), r.image(), e.getMessage()));
                }
            }
            if (!ok.isEmpty()) {
                processBatch(ok, images, captioner, filter, options, out);
            }
            progress.accept(batch.size());
        }
        return new Result(out, skipped);
    }

    /** The sampling seed of a record: depends on the run seed and the record's key only. */
    public static long recordSeed(long runSeed, int sourceIndex) {
        return NucleusSampler.rowSeed(runSeed, sourceIndex);
    }

    /** The sampling seed of a record: its source index (JSON input) or its shard identity (shard input). */
    static long recordSeed(long runSeed, WebRecord r) {
        return NucleusSampler.rowSeed(runSeed, r.seedKey());
    }

    private static void processBatch(List<WebRecord> recs, List<RgbImage> images, Captioner captioner,
            Matcher filter, CapfiltOptions options, List<CapfiltRecord> out) {
        long[] seeds = new long[recs.size()];
        for (int j = 0; j < seeds.length; j++) {
            seeds[j] = recordSeed(options.generation().seed(), recs.get(j));
        }
        List<List<Caption>> captions = captioner.caption(images, seeds);
        // Every text of the batch is scored against its own image in one paired pass.
        List<RgbImage> pairImages = new ArrayList<>();
        List<String> pairTexts = new ArrayList<>();
        List<CapfiltRecord> pending = new ArrayList<>();
        for (int j = 0; j < recs.size(); j++) {
            WebRecord r = recs.get(j);
            for (int t = 0; t < r.texts().size(); t++) {
                pairImages.add(images.get(j));
                pairTexts.add(r.texts().get(t));
                pending.add(new CapfiltRecord(r.image(), r.texts().get(t), CapfiltRecord.Source.WEB,
                        r.sourceIndex(), t, Double.NaN, Double.NaN, false, null, r.origin()));
            }
            CapfiltRecord.Decoding decoding = CapfiltRecord.Decoding.of(options.generation(), seeds[j]);
            List<Caption> caps = captions.get(j);
            for (int s = 0; s < caps.size(); s++) {
                pairImages.add(images.get(j));
                pairTexts.add(caps.get(s).text());
                pending.add(new CapfiltRecord(r.image(), caps.get(s).text(), CapfiltRecord.Source.SYNTHETIC,
                        r.sourceIndex(), s, Double.NaN, Double.NaN, false, decoding, r.origin()));
            }
        }
        Matcher.PairScore[] scores = filter.scorePairs(pairImages, pairTexts);
        for (int k = 0; k < pending.size(); k++) {
            CapfiltRecord p = pending.get(k);
            double itm = scores[k].itmProbability();
            out.add(new CapfiltRecord(p.image(), p.caption(), p.source(), p.sourceIndex(), p.textIndex(), itm,
                    scores[k].itcCosine(), options.keeps(itm), p.decoding(), p.origin()));
        }
    }
}
