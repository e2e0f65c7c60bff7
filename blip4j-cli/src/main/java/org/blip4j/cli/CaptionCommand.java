package org.blip4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.task.Blip;
import org.blip4j.task.Caption;
import org.blip4j.task.CaptionDecoding;
import org.blip4j.task.CaptionOptions;
import org.blip4j.task.Captioner;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Captions images: greedy, beam search (default: BLIP's beam 3, max 20, min 5) or nucleus sampling. */
@Command(name = "caption", mixinStandardHelpOptions = true,
        description = "Caption images with the image-grounded decoder.")
public final class CaptionCommand implements Callable<Integer> {
    @Mixin
    ModelArgs modelArgs;

    @Mixin
    DecodingArgs decoding;

    @Option(names = "--batch-size", defaultValue = "8", description = "images decoded together")
    int batchSize;

    @Option(names = "--json", description = "one JSON line per caption: {image, caption, score}")
    boolean json;

    @Option(names = "--no-cross-cache", hidden = true, description = "recompute cross-attention every step")
    boolean noCrossCache;

    @Parameters(arity = "0..*", paramLabel = "IMAGE|DIR")
    List<Path> inputs = new java.util.ArrayList<>();

    @Option(names = "--video", arity = "1..*", paramLabel = "VIDEO",
            description = "caption videos instead (MP4/H.264 files or directories of frames): the decoder attends to"
                    + " all sampled frames' tokens")
    List<Path> videos = new java.util.ArrayList<>();

    @Option(names = "--frames", defaultValue = "8", description = "frames sampled uniformly per video (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--data", arity = "1..*", description = "bulk form: webdataset shard patterns, e.g. "
            + "'web/{00000..00099}.tar'; writes OUT/captions.jsonl (shard, key, caption, score)")
    List<String> data;

    @Option(names = "--out", description = "output directory of the bulk form (parts + captions.jsonl)")
    Path out;

    @Option(names = "--master", description = "bulk form on Spark: local[N] or spark://HOST:PORT")
    String master;

    @Option(names = "--workers", defaultValue = "1", description = "bulk form: shards computed at once here")
    int workers;

    @Option(names = "--records-per-task", defaultValue = "0", description = "bulk form: cut shards of more "
            + "samples into tasks of N (a multiple of --batch-size; same results); 0 = one task per shard")
    int recordsPerTask;

    @Override
    public Integer call() throws Exception {
        if (data != null) {
            return bulk();
        }
        if (inputs.isEmpty() == videos.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "give images (IMAGE|DIR ...) or --video VIDEO ..., not both");
        }
        if (!videos.isEmpty()) {
            return captionVideos();
        }
        List<Path> files = ImageInputs.expand(inputs);
        ImageBatchReader reader = new ImageBatchReader();
        try (Blip blip = modelArgs.load()) {
            CaptionOptions options = new CaptionOptions(decoding.options(), decoding.prompt, !noCrossCache,
                    batchSize);
            Captioner captioner = new Captioner(blip, options);
            try (ProgressBar bar = files.size() > batchSize ? Progress.bar("caption", files.size(), "img") : null) {
                for (int i = 0; i < files.size(); i += batchSize) {
                    List<Path> chunk = files.subList(i, Math.min(files.size(), i + batchSize));
                    ImageBatchReader.Loaded loaded = reader.read(chunk);
                    long[] seeds = new long[loaded.paths().size()];
                    for (int j = 0; j < seeds.length; j++) {
                        seeds[j] = CaptionDecoding.imageSeed(decoding.seed, loaded.paths().get(j).toString());
                    }
                    List<List<Caption>> caps = captioner.caption(loaded.images(), seeds);
                    for (int j = 0; j < caps.size(); j++) {
                        for (Caption c : caps.get(j)) {
                            String path = loaded.paths().get(j).toString();
                            System.out.println(json ? Json.line("image", path, "caption", c.text(), "score", c.score())
                                    : path + "\t" + c.text());
                        }
                    }
                    System.out.flush();
                    if (bar != null) {
                        bar.stepBy(chunk.size());
                    }
                }
            }
        }
        if (reader.failed > 0) {
            System.err.printf("%d of %d images could not be read%n", reader.failed, files.size());
        }
        return reader.failed == 0 ? 0 : 1;
    }

    /** Shard input: one part per shard (resumable), then captions.jsonl in shard order. */
    private int bulk() throws IOException {
        if (out == null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--data needs --out");
        }
        int threads = modelArgs.engine.threads;
        if (ShardInputs.master(master) == null) {
            modelArgs.engine.start(); // a Spark driver runs no model: its executors start their engines
        }
        List<Path> shards = ShardInputs.expand(data);
        var job = new org.blip4j.bulk.CaptionShardsJob(CapfiltCommand.modelKey(modelArgs.model),
                modelArgs.engine.device, threads, out,
                decoding.options(), decoding.prompt, batchSize);
        ShardInputs.computeMissing(job, shards, master, threads, workers, recordsPerTask, batchSize);
        System.out.println(job.assemble(shards));
        return 0;
    }

    private int captionVideos() throws Exception {
        int failed = 0;
        try (Blip blip = modelArgs.load()) {
            Captioner captioner = new Captioner(blip, new CaptionOptions(decoding.options(), decoding.prompt,
                    !noCrossCache, batchSize));
            for (Path v : videos) {
                List<org.blip4j.image.RgbImage> sampled;
                try {
                    sampled = org.blip4j.video.VideoFrames.sample(v, frames);
                } catch (org.blip4j.video.VideoDecodeException e) {
                    System.err.println("skipped " + e.getMessage());
                    failed++;
                    continue;
                }
                for (Caption c : captioner.captionVideo(sampled)) {
                    System.out.println(json ? Json.line("video", v.toString(), "caption", c.text(), "score", c.score())
                            : v + "\t" + c.text());
                }
            }
        }
        if (failed > 0) {
            System.err.printf("%d of %d videos could not be read%n", failed, videos.size());
        }
        return failed == 0 ? 0 : 1;
    }

    /** Decoding options shared by caption and the commands that generate. */
    public static final class DecodingArgs {
        static final class Mode {
            @Option(names = "--greedy", description = "greedy decoding") boolean greedy;
            @Option(names = "--beams", description = "beam search with N beams (default 3)") Integer beams;
            @Option(names = "--sample", description = "nucleus sampling") boolean sample;
        }

        @ArgGroup(exclusive = true)
        Mode mode;

        @Option(names = "--top-p", defaultValue = "0.9") double topP;
        @Option(names = "--top-k", defaultValue = "50", description = "0 disables (transformers 4.15 used 50)") int topK;
        @Option(names = "--temperature", defaultValue = "1.0") double temperature;
        @Option(names = "--seed", defaultValue = "0") long seed;
        @Option(names = "--num-captions", defaultValue = "1", description = "captions per image") int numCaptions;
        @Option(names = "--prompt", defaultValue = CaptionOptions.DEFAULT_PROMPT,
                description = "decoder prompt (default \"${DEFAULT-VALUE}\"; \"\" for none)") String prompt;
        @Option(names = "--max-length", defaultValue = "20", description = "counts the prompt") int maxLength;
        @Option(names = "--min-length", defaultValue = "5", description = "counts the prompt") int minLength;
        @Option(names = "--repetition-penalty",
                description = "default 1.0; 1.1 with --sample as BLIP's sampling path") Double repetitionPenalty;
        @Option(names = "--length-penalty", defaultValue = "1.0") double lengthPenalty;

        public GenerationOptions options() {
            return decoding().options();
        }

        public CaptionDecoding decoding() {
            GenerationOptions.Strategy strategy = mode != null && mode.greedy ? GenerationOptions.Strategy.GREEDY
                    : mode != null && mode.sample ? GenerationOptions.Strategy.SAMPLE : GenerationOptions.Strategy.BEAM;
            int beams = mode != null && mode.beams != null ? mode.beams : 3;
            return new CaptionDecoding(strategy, beams, topP, topK, temperature, seed, numCaptions, maxLength,
                    minLength, repetitionPenalty, lengthPenalty);
        }
    }
}
