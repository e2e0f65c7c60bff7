package org.blip4j.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ProgressBar;
import org.blip4j.capfilt.CapfiltConfig;
import org.blip4j.capfilt.CapfiltJob;
import org.blip4j.capfilt.CapfiltModels;
import org.blip4j.capfilt.CapfiltOptions;
import org.blip4j.capfilt.CapfiltPipeline;
import org.blip4j.capfilt.CapfiltReport;
import org.blip4j.capfilt.CapfiltStep;
import org.blip4j.capfilt.FilterRule;
import org.blip4j.bulk.ShardCluster;
import org.blip4j.bulk.ShardJobRunner;
import org.blip4j.bulk.ShardSlices;
import org.blip4j.data.WebDatasetReader;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.task.Blip;
import org.blip4j.task.CaptionOptions;
import org.blip4j.task.ModelOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * CapFilt (paper §3.3; docs/CAPFILT.md): captions every web image, filters web and synthetic texts with the ITM head,
 * and writes the bootstrapped dataset with a report. Restartable: rerun the same command after an interruption.
 */
@Command(name = "capfilt", mixinStandardHelpOptions = true,
        description = "Bootstrap a dataset: caption web images, filter web + synthetic texts with ITM, add human "
                + "pairs. Rerun the same command to resume an interrupted run.")
public final class CapfiltCommand implements Callable<Integer> {
    private static final int SKIPPED_SHOWN = 5;
    /** Parquet table of every record of a --master run (Spark writes it; one process has no Parquet writer). */
    static final String TABLE = "records.parquet";

    @Option(names = "--captioner", required = true, description = "captioning model (dir, .pth, hub id, builtin:); "
            + "repeat for an ensemble: each captioner writes --num-captions captions per image")
    List<String> captioners;

    @Option(names = "--filter", required = true, description = "filter model with an ITM head; repeat for an "
            + "ensemble combined by --filter-rule")
    List<String> filters;

    @Option(names = "--filter-rule", defaultValue = "mean", description = "how several filters decide: mean "
            + "(mean P(match) >= threshold), min (every filter agrees), vote (more than half; a tie removes). "
            + "Default ${DEFAULT-VALUE}; with one filter all three are BLIP's rule")
    String filterRule;

    @Option(names = "--data", required = true, arity = "1..*", description = "web pairs: a BLIP JSON file "
            + "[{image, caption}], or webdataset shard patterns (img2dataset layout), e.g. 'web/{00000..00099}.tar'")
    List<String> data;

    @Option(names = "--images", description = "root the JSON image paths are relative to (not needed for shards)")
    Path images;

    @Option(names = "--master", description = "run the shard parts on Spark: local[N] or spark://HOST:PORT "
            + "(shard input; the driver stays here and assembles)")
    String master;

    @Option(names = "--human", description = "human-annotated pairs (BLIP JSON), copied unfiltered")
    Path human;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Option(names = "--noise-labels", description = "labels of the web texts, {\"<index>\": \"clean\" or a noise kind} "
            + "(e.g. the synthetic world's web_noise.json): report the filter's precision/recall")
    Path noiseLabels;

    @Option(names = "--num-captions", defaultValue = "1", description = "synthetic captions per image and captioner "
            + "(default 1); each is filtered on its own, an image's identical texts are kept once")
    int numCaptions;

    @Option(names = "--beams", description = "beam search with N beams instead of nucleus sampling")
    Integer beams;

    @Option(names = "--top-p", defaultValue = "0.9") double topP;
    @Option(names = "--top-k", defaultValue = "50") int topK;
    @Option(names = "--seed", defaultValue = "0", description = "run seed; each image's seed derives from it")
    long seed;
    @Option(names = "--repetition-penalty", description = "default 1.1 when sampling (BLIP), 1.0 with --beams")
    Double repetitionPenalty;
    @Option(names = "--max-length", defaultValue = "20", description = "counts the prompt") int maxLength;
    @Option(names = "--min-length", defaultValue = "5", description = "counts the prompt") int minLength;
    @Option(names = "--prompt", defaultValue = CaptionOptions.DEFAULT_PROMPT,
            description = "decoder prompt (default \"${DEFAULT-VALUE}\")") String prompt;

    @Option(names = "--threshold", defaultValue = "0.5", description = "keep a text when P(match) >= this "
            + "(default 0.5 = the ITM argmax)")
    double threshold;

    @Option(names = "--batch-size", defaultValue = "8", description = "images per forward pass") int batchSize;

    @Option(names = "--shard-size", defaultValue = "1000", description = "web records per part (resume unit)")
    int shardSize;

    @Option(names = "--workers", defaultValue = "1", description = "parts computed at once, each on its own thread "
            + "(default 1; results are the same). Small models run fastest with --workers <cores> --threads 1")
    int workers;

    @Option(names = "--records-per-task", defaultValue = "0", description = "shard input: cut shards of more "
            + "samples into tasks of N samples (a multiple of --batch-size; the same records); 0 = one task per shard")
    int recordsPerTask;

    @Option(names = "--shards", description = "also write webdataset shards of the kept pairs to OUT/shards")
    boolean shards;

    @Mixin
    EngineOptions engine;

    @Override
    public Integer call() throws Exception {
        CapfiltOptions options = new CapfiltOptions(generation(), prompt, threshold, batchSize,
                FilterRule.of(filterRule));
        master = data.size() == 1 && !data.get(0).endsWith(".tar") ? master : ShardInputs.master(master);
        ShardSlices.checkRecordsPerTask(recordsPerTask, batchSize);
        CapfiltConfig config = config();
        if (master == null) {
            engine.start(); // a Spark driver runs no model: its executors start their engines
        }
        List<Blip> loaded = new ArrayList<>();
        try (ProgressListener listener = new ProgressListener();
                ShardCluster cluster = master == null ? null : ShardCluster.connect(master, engine.threads)) {
            CapfiltPipeline pipeline = new CapfiltPipeline(config, options, workers);
            CapfiltJob job = new CapfiltJob(config, options, engine.device, engine.threads);
            List<Path> parts = cluster == null ? List.of() : config.webShards().stream().map(job::part).toList();
            AtomicReference<CompletableFuture<Void>> table = new AtomicReference<>();
            CapfiltPipeline.ShardRunner runner = null;
            if (cluster != null) {
                runner = shards -> {
                    cluster.computeParts(job, shards, recordsPerTask,
                            s -> listener.shardWritten(s.getFileName().toString(), 0));
                    // the table needs only the parts: the cluster writes it while this JVM assembles
                    table.set(CompletableFuture.runAsync(() -> writeTable(cluster, parts)));
                };
            } else if (recordsPerTask > 0) { // slices of shards on this JVM's worker threads
                runner = shards -> ShardJobRunner.computeHere(job, shards, workers, recordsPerTask,
                        s -> listener.shardWritten(s.getFileName().toString(), 0));
            }
            CapfiltReport report = pipeline.run(() -> open(loaded), listener, runner);
            listener.close();
            if (cluster != null) {
                if (table.get() == null) {
                    writeTable(cluster, parts); // every part was there already: nothing was computed
                } else {
                    try {
                        table.get().join();
                    } catch (CompletionException e) {
                        throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : e;
                    }
                }
                System.err.println("records table (Parquet): " + out.resolve(TABLE));
            }
            System.out.println(summary(report));
            if (report.skippedImages() > 0) {
                System.err.printf(Locale.ROOT, "%d unreadable image(s) skipped (listed in %s)%n",
                        report.skippedImages(), out.resolve(CapfiltPipeline.REPORT));
            }
        } finally {
            loaded.forEach(Blip::close);
        }
        return 0;
    }

    private void writeTable(ShardCluster cluster, List<Path> parts) {
        try {
            cluster.writeCapfiltTable(parts, out.resolve(TABLE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON input (one file, --images required) or shard input (every pattern names .tar files). */
    CapfiltConfig config() throws IOException {
        if (data.size() == 1 && !data.get(0).endsWith(".tar")) {
            if (images == null) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--images is required with a BLIP JSON --data file");
            }
            if (master != null || recordsPerTask > 0) {
                String option = master != null ? "--master" : "--records-per-task";
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        option + " needs webdataset shard input (--data 'DIR/{00000..N}.tar')");
            }
            return new CapfiltConfig(modelKeys(captioners), modelKeys(filters), Path.of(data.get(0)), images, human, out,
                    noiseLabels, shardSize, shards);
        }
        for (String d : data) {
            if (!d.endsWith(".tar")) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--data: give one BLIP JSON file or shard patterns ending in .tar, not " + d);
            }
        }
        List<Path> tars = WebDatasetReader.shards(Path.of(""), data).stream()
                .map(p -> p.toAbsolutePath().normalize()).toList();
        return new CapfiltConfig(modelKeys(captioners), modelKeys(filters), null, images, human, out, noiseLabels,
                shardSize, shards, tars);
    }

    GenerationOptions generation() {
        GenerationOptions g = beams != null
                ? GenerationOptions.beam(beams, maxLength, minLength).withNumReturnSequences(numCaptions)
                : GenerationOptions.nucleus(topP, maxLength, minLength, seed).withSampling(topP, topK, 1.0)
                        .withNumReturnSequences(numCaptions);
        if (repetitionPenalty != null) {
            g = g.withRepetitionPenalty(repetitionPenalty);
        }
        return g.withSeed(seed);
    }

    /** How a model is recorded in capfilt.json: a local path absolute, so a resume from another directory matches. */
    static String modelKey(String spec) {
        try {
            Path p = Path.of(spec);
            return Files.exists(p) ? p.toAbsolutePath().normalize().toString() : spec;
        } catch (InvalidPathException e) {
            return spec;
        }
    }

    /**
     * How an ensemble is recorded: one model as {@link #modelKey}, several joined by " + " (the order matters: it
     * sets the captioner indices and the order duplicates are resolved in).
     */
    static String modelKeys(List<String> specs) {
        return String.join(org.blip4j.capfilt.CapfiltJob.ENSEMBLE_SEPARATOR,
                specs.stream().map(CapfiltCommand::modelKey).toList());
    }

    /** Loads every named model once (a model named as captioner and filter, or twice, is shared read-only). */
    private CapfiltModels open(List<Blip> loaded) throws IOException {
        ModelOptions mo = new ModelOptions(engine.device, null, null, null, null);
        Map<String, Blip> bySpec = new HashMap<>();
        List<Blip> c = new ArrayList<>();
        for (String spec : captioners) {
            c.add(load(spec, mo, bySpec, loaded));
        }
        List<Blip> f = new ArrayList<>();
        for (String spec : filters) {
            f.add(load(spec, mo, bySpec, loaded));
        }
        return new CapfiltModels(c, f);
    }

    private static Blip load(String spec, ModelOptions mo, Map<String, Blip> bySpec, List<Blip> loaded)
            throws IOException {
        Blip b = bySpec.get(spec);
        if (b == null) {
            b = Blip.load(spec, mo);
            loaded.add(b);
            bySpec.put(spec, b);
        }
        return b;
    }

    static String summary(CapfiltReport r) {
        return String.format(Locale.ROOT, "web %d/%d kept, synthetic %d/%d kept (noise ratio %.1f%%, %.2f kept per "
                + "image), human %d; %d pairs", r.web().kept(), r.web().total(), r.synthetic().kept(),
                r.synthetic().total(), 100 * r.syntheticNoiseRatio(), r.syntheticKeptPerImage(), r.human(),
                r.web().kept() + r.synthetic().kept() + r.human());
    }

    /** Progress bar (images/s, ETA) on stderr and the first few unreadable images by name. */
    static final class ProgressListener implements CapfiltPipeline.Listener, AutoCloseable {
        private ProgressBar bar;
        private int skipped;
        private boolean byShard;

        @Override
        public void shardsStarted(int shards, int done) {
            byShard = true;
            if (done > 0) {
                System.err.printf(Locale.ROOT, "resuming: %d of %d shards already done%n", done, shards);
            }
            bar = Progress.bar("capfilt", shards, "shard", done);
        }

        @Override
        public void shardWritten(String shard, int records) {
            bar.step();
        }

        @Override
        public void started(int total, int done) {
            if (done > 0) {
                System.err.printf(Locale.ROOT, "resuming: %d of %d records already done%n", done, total);
            }
            bar = Progress.bar("capfilt", total, "img", done);
        }

        @Override
        public void recordsProcessed(int n) {
            if (!byShard) {
                bar.stepBy(n);
            }
        }

        @Override
        public void skipped(CapfiltStep.Skipped s) {
            if (++skipped <= SKIPPED_SHOWN) {
                System.err.println("skipped unreadable image " + s.image() + ": " + s.reason());
            }
        }

        @Override
        public void assembling() {
            close();
            System.err.println("assembling the bootstrapped dataset and report");
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
