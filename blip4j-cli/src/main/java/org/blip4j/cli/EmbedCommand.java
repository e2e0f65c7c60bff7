package org.blip4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.blip4j.task.Blip;
import org.blip4j.task.EmbeddingFiles;
import org.blip4j.task.Embedder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Writes normalised ITC embeddings of images or texts, with their ids. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Write L2-normalised ITC embeddings (safetensors, or .npy) plus an index of ids.")
public final class EmbedCommand implements Callable<Integer> {
    @Mixin
    ModelArgs modelArgs;

    static final class Input {
        @Option(names = "--image", arity = "1..*", description = "image files or directories") List<Path> images;
        @Option(names = "--texts", description = "text file, one text per line") Path texts;
        @Option(names = "--data", arity = "1..*", description = "bulk form: webdataset shard patterns "
                + "('web/{00000..00099}.tar'); ids are shard/key, parts go to OUT.parts/") List<String> data;
    }

    @Option(names = "--master", description = "bulk form on Spark: local[N] or spark://HOST:PORT")
    String master;

    @Option(names = "--workers", defaultValue = "1", description = "bulk form: shards computed at once here")
    int workers;

    @Option(names = "--records-per-task", defaultValue = "0", description = "bulk form: cut shards of more "
            + "samples into tasks of N (a multiple of --batch-size; same results); 0 = one task per shard")
    int recordsPerTask;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--out", required = true, description = "output file (.safetensors or .npy); ids go to OUT.index.json")
    Path out;

    @Option(names = "--batch-size", defaultValue = "16")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        if (input.data != null) {
            int threads = modelArgs.engine.threads;
            if (ShardInputs.master(master) == null) {
                modelArgs.engine.start(); // a Spark driver runs no model: its executors start their engines
            }
            List<Path> shards = ShardInputs.expand(input.data);
            var job = new org.blip4j.bulk.EmbedShardsJob(CapfiltCommand.modelKey(modelArgs.model),
                    modelArgs.engine.device, threads,
                    out, batchSize);
            ShardInputs.computeMissing(job, shards, master, threads, workers, recordsPerTask, batchSize);
            System.out.println(job.assemble(shards));
            return 0;
        }
        ImageBatchReader reader = new ImageBatchReader();
        try (Blip blip = modelArgs.load()) {
            Embedder embedder = new Embedder(blip, org.blip4j.task.TextOptions.retrieval(), batchSize);
            List<String> ids = new ArrayList<>();
            float[][] vectors;
            if (input.images != null) {
                // one batch of decoded images at a time: memory is a batch, not the input
                List<Path> files = ImageInputs.expand(input.images);
                List<float[]> rows = new ArrayList<>();
                for (int i = 0; i < files.size(); i += batchSize) {
                    List<Path> batch = files.subList(i, Math.min(files.size(), i + batchSize));
                    ImageBatchReader.Loaded loaded = reader.read(batch);
                    loaded.paths().forEach(p -> ids.add(p.toString()));
                    if (!loaded.images().isEmpty()) {
                        rows.addAll(List.of(embedder.embedImages(loaded.images())));
                    }
                }
                vectors = rows.toArray(float[][]::new);
            } else {
                List<String> lines = Files.readAllLines(input.texts).stream().filter(l -> !l.isBlank()).toList();
                ids.addAll(lines);
                vectors = embedder.embedTexts(lines);
            }
            EmbeddingFiles.write(out, ids, vectors);
            System.err.printf("wrote %d embeddings of dimension %d to %s%n", vectors.length,
                    vectors.length == 0 ? 0 : vectors[0].length, out);
        }
        return reader.failed == 0 ? 0 : 1;
    }
}
