package org.blip4j.capfilt;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import org.blip4j.data.MissingImageException;
import org.blip4j.generate.NucleusSampler;
import org.blip4j.image.ImageDecodeException;
import org.blip4j.image.RgbImage;
import org.blip4j.task.Blip;
import org.blip4j.task.Caption;
import org.blip4j.task.CaptionOptions;
import org.blip4j.task.Captioner;
import org.blip4j.task.Matcher;
import org.blip4j.task.TextOptions;

/**
 * CapFilt on one partition of web records: caption each image (K captions per captioner of the ensemble), score its
 * web and distinct synthetic texts with the filters' ITM heads, and mark each kept or removed by the filter rule. A plain function of its arguments (no state survives a call), so any
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
        CaptionOptions co = new CaptionOptions(options.generation(), options.prompt(), true, options.batchSize());
        List<Captioner> captioners = new ArrayList<>();
        for (Blip c : models.captioners()) {
            captioners.add(new Captioner(c, co));
        }
        List<Matcher> filters = new ArrayList<>();
        for (Blip f : models.filters()) {
            filters.add(new Matcher(f, TextOptions.retrieval(), options.batchSize()));
        }
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
                processBatch(ok, images, captioners, filters, options, out);
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

    /**
     * The text index of a synthetic caption: captioner-major, so every (captioner, candidate) of an image has its own
     * index and a single captioner's candidate c keeps index c.
     */
    static int syntheticTextIndex(int captioner, int candidate, int captionsPerImage) {
        return captioner * captionsPerImage + candidate;
    }

    private static void processBatch(List<WebRecord> recs, List<RgbImage> images, List<Captioner> captioners,
            List<Matcher> filters, CapfiltOptions options, List<CapfiltRecord> out) {
        long[] seeds = new long[recs.size()];
        for (int j = 0; j < seeds.length; j++) {
            seeds[j] = recordSeed(options.generation().seed(), recs.get(j));
        }
        // Every captioner samples from the same per-image seeds: an ensemble differs by its models, not its luck.
        List<List<List<Caption>>> captions = new ArrayList<>();
        for (Captioner c : captioners) {
            captions.add(c.caption(images, seeds));
        }
        // Every text of the batch is scored against its own image in one paired pass per filter.
        List<RgbImage> pairImages = new ArrayList<>();
        List<String> pairTexts = new ArrayList<>();
        List<CapfiltRecord> pending = new ArrayList<>();
        int k = options.captionsPerImage();
        for (int j = 0; j < recs.size(); j++) {
            WebRecord r = recs.get(j);
            for (int t = 0; t < r.texts().size(); t++) {
                pairImages.add(images.get(j));
                pairTexts.add(r.texts().get(t));
                pending.add(new CapfiltRecord(r.image(), r.texts().get(t), CapfiltRecord.Source.WEB,
                        r.sourceIndex(), t, Double.NaN, Double.NaN, false, null, r.origin()));
            }
            // An image's identical synthetic texts are scored and kept once, under the first (candidate, captioner):
            // candidate-major, so the texts of candidates 0..k-1 are those a run with K = k keeps.
            Set<String> seen = new HashSet<>();
            for (int s = 0; s < k; s++) {
                for (int c = 0; c < captions.size(); c++) {
                    List<Caption> caps = captions.get(c).get(j);
                    if (s >= caps.size()) {
                        continue;
                    }
                    String text = caps.get(s).text();
                    if (!seen.add(text)) {
                        continue;
                    }
                    pairImages.add(images.get(j));
                    pairTexts.add(text);
                    pending.add(new CapfiltRecord(r.image(), text, CapfiltRecord.Source.SYNTHETIC, r.sourceIndex(),
                            syntheticTextIndex(c, s, k), Double.NaN, Double.NaN, false,
                            CapfiltRecord.Decoding.of(options.generation(), seeds[j], c, s), r.origin()));
                }
            }
        }
        Matcher.PairScore[][] scores = new Matcher.PairScore[filters.size()][];
        for (int f = 0; f < filters.size(); f++) {
            scores[f] = filters.get(f).scorePairs(pairImages, pairTexts);
        }
        FilterRule rule = options.filterRule();
        double[] itms = new double[filters.size()];
        double[] itcs = new double[filters.size()];
        for (int p = 0; p < pending.size(); p++) {
            CapfiltRecord pr = pending.get(p);
            for (int f = 0; f < filters.size(); f++) {
                itms[f] = scores[f][p].itmProbability();
                itcs[f] = scores[f][p].itcCosine();
            }
            double itm = rule.score(itms);
            out.add(new CapfiltRecord(pr.image(), pr.caption(), pr.source(), pr.sourceIndex(), pr.textIndex(), itm,
                    FilterRule.mean(itcs), rule.keeps(itms, itm, options.threshold()), pr.decoding(),
                    pr.origin()));
        }
    }
}
