package org.blip4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.blip4j.image.ImageLoader;
import org.blip4j.index.EmbeddingIndex;
import org.blip4j.index.SearchRerank;
import org.blip4j.task.Blip;
import org.blip4j.task.Embedder;
import org.blip4j.task.Matcher;
import org.blip4j.task.TextOptions;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Searches an index by a text or an image: ITC top-k (exact or HNSW), optionally re-ranked with ITM. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Top-k of an index ('blip index') by ITC similarity to a text or an image.")
public final class SearchCommand implements Callable<Integer> {
    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--index", required = true, description = "index directory")
    Path index;

    static final class Query {
        @Option(names = "--text", description = "text query") String text;
        @Option(names = "--image", description = "image query") Path image;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Query query;

    @Option(names = "--k", defaultValue = "10", description = "results (default ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--rerank", defaultValue = "0", description = "re-rank the first N with ITM (text query)")
    int rerank;

    @Option(names = "--target", defaultValue = "images", description = "images or texts (default ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--candidates", defaultValue = "" + EmbeddingIndex.DEFAULT_CANDIDATES,
            description = "neighbours an HNSW search collects before the top k (default ${DEFAULT-VALUE}; more ="
                    + " higher recall, slower)")
    int candidates;

    @Option(names = "--json", description = "one JSON line per result: {rank, id, score[, itm]}")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (k < 1) {
            throw new IllegalArgumentException("--k must be ≥ 1, got " + k);
        }
        if (rerank > 0 && (query.text == null || !target.equals("images"))) {
            throw new IllegalArgumentException("--rerank applies to a --text query over images");
        }
        try (EmbeddingIndex idx = EmbeddingIndex.open(index, candidates); Blip blip = modelArgs.load()) {
            Embedder embedder = new Embedder(blip, TextOptions.retrieval(), 16);
            float[] q = query.text != null ? embedder.embedTexts(List.of(query.text))[0]
                    : embedder.embedImages(List.of(ImageLoader.load(query.image)))[0];
            List<EmbeddingIndex.Hit> hits = idx.search(target, q, k);
            List<SearchRerank.Ranked> ranked = rerank > 0
                    ? SearchRerank.rerank(new Matcher(blip), idx, query.text, hits, rerank, ImageLoader::load)
                    : hits.stream().map(h -> new SearchRerank.Ranked(h, null)).toList();
            int rank = 0;
            for (SearchRerank.Ranked r : ranked) {
                rank++;
                if (json) {
                    System.out.println(r.itm() == null ? Json.line("rank", rank, "id", r.hit().id(), "score",
                            r.hit().score()) : Json.line("rank", rank, "id", r.hit().id(), "score", r.hit().score(),
                            "itm", r.itm()));
                } else {
                    System.out.printf("%d\t%.6f\t%s%s%n", rank, r.hit().score(), r.hit().id(),
                            r.itm() == null ? "" : String.format("\titm=%.4f", r.itm()));
                }
            }
        }
        return 0;
    }
}
