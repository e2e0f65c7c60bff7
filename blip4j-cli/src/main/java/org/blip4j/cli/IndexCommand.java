package org.blip4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import org.blip4j.data.Sample;
import org.blip4j.data.WebDatasetReader;
import org.blip4j.image.ImageDecodeException;
import org.blip4j.image.RgbImage;
import org.blip4j.index.EmbeddingIndexWriter;
import org.blip4j.task.Blip;
import org.blip4j.task.Embedder;
import org.blip4j.task.TextOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Builds or extends an embedding index: normalised ITC embeddings of images (ids as {@code embed} writes them) and
 * optionally of texts, committed chunk by chunk so an interrupted run resumes where it stopped.
 */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = {"Index images (and texts) by their ITC embeddings for 'blip search' and 'blip serve --index'.",
            "Appends to an existing index; ids already indexed are skipped (a rerun resumes)."})
public final class IndexCommand implements Callable<Integer> {
    @Mixin
    ModelArgs modelArgs;

    static final class Source {
        @Option(names = "--images", arity = "1..*", description = "image files or directories") List<Path> images;
        @Option(names = "--data", arity = "1..*", description = "webdataset shards (.tar, brace patterns)")
        List<String> data;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @Option(names = "--texts", description = "also index texts: a file with one text per line")
    Path texts;

    @Option(names = "--out", required = true, description = "index directory")
    Path out;

    @Option(names = "--batch-size", defaultValue = "16")
    int batchSize;

    @Option(names = "--chunk", defaultValue = "512", description = "rows embedded and committed at a time")
    int chunk;

    @Option(names = "--hnsw-above", description = "build an HNSW graph once a collection has this many rows"
            + " (default " + EmbeddingIndexWriter.DEFAULT_HNSW_ABOVE + "; exact search below)")
    Integer hnswAbove;

    @Override
    public Integer call() throws Exception {
        if (source == null && texts == null) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "give --images DIR, --data SHARDS and/or --texts FILE");
        }
        int failed = 0;
        try (Blip blip = modelArgs.load()) {
            Embedder embedder = new Embedder(blip, TextOptions.retrieval(), batchSize);
            int dim = embedder.embedTexts(List.of("a"))[0].length; // the ITC projection width
            EmbeddingIndexWriter w = EmbeddingIndexWriter.open(out, modelArgs.model, dim, hnswAbove);
            int added = 0;
            if (source != null && source.images != null) {
                List<Path> files = ImageInputs.expand(source.images);
                ImageBatchReader reader = new ImageBatchReader();
                try (ProgressBar bar = Progress.bar("index", files.size(), "img")) {
                    for (int i = 0; i < files.size(); i += chunk) {
                        List<Path> todo = files.subList(i, Math.min(files.size(), i + chunk)).stream()
                                .filter(p -> !w.contains("images", p.toString())).toList();
                        ImageBatchReader.Loaded loaded = reader.read(todo);
                        added += w.append("images", loaded.paths().stream().map(Path::toString).toList(),
                                embedder.embedImages(loaded.images()));
                        bar.stepBy(Math.min(chunk, files.size() - i));
                    }
                }
                failed += reader.failed;
            } else if (source != null) {
                int[] counts = indexShards(w, embedder);
                added += counts[0];
                failed += counts[1];
            }
            if (texts != null) {
                List<String> lines = Files.readAllLines(texts).stream().filter(l -> !l.isBlank()).toList();
                for (int i = 0; i < lines.size(); i += chunk) {
                    List<String> part = lines.subList(i, Math.min(lines.size(), i + chunk)).stream()
                            .filter(t -> !w.contains("texts", t)).distinct().toList();
                    added += w.append("texts", part, embedder.embedTexts(part));
                }
            }
            System.err.println("building the HNSW graph where a collection reached " + w.manifest().hnswAbove()
                    + " rows...");
            w.finish();
            System.err.printf("added %d embeddings; %s now holds %d images and %d texts (%d-d)%n", added, out,
                    w.manifest().counts("images").count(), w.manifest().counts("texts").count(), dim);
        }
        if (failed > 0) {
            System.err.printf("%d item(s) could not be read%n", failed);
        }
        return failed == 0 ? 0 : 1;
    }

    /** Streams shard samples (ids = sample keys), a chunk at a time; returns {added, unreadable}. */
    private int[] indexShards(EmbeddingIndexWriter w, Embedder embedder) throws Exception {
        List<Path> shards = WebDatasetReader.shards(Path.of(""), source.data);
        int[] counts = new int[2];
        List<String> ids = new ArrayList<>();
        List<RgbImage> images = new ArrayList<>();
        try (Stream<Sample> samples = WebDatasetReader.create().requireCaption(false).stream(shards)) {
            for (Sample s : (Iterable<Sample>) samples::iterator) {
                if (w.contains("images", s.key())) {
                    continue;
                }
                try {
                    images.add(s.image().load());
                    ids.add(s.key());
                } catch (ImageDecodeException e) {
                    counts[1]++;
                    System.err.println("error: " + e.getMessage());
                }
                if (ids.size() == chunk) {
                    counts[0] += w.append("images", ids, embedder.embedImages(images));
                    ids.clear();
                    images.clear();
                }
            }
        }
        counts[0] += w.append("images", ids, embedder.embedImages(images));
        return counts;
    }
}
