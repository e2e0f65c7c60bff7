package org.blip4j.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.blip4j.image.RgbImage;
import org.blip4j.index.EmbeddingIndex;
import org.blip4j.index.SearchRerank;
import org.blip4j.task.Matcher;

/**
 * {@code POST /v1/search}: a {@code text} or an {@code image} upload embedded by the matcher, then the index's top
 * {@code k} by ITC similarity ({@code target} images, or texts when the index holds text embeddings). With
 * {@code rerank} N, the first N results of a text query are scored with ITM against their image files and
 * reordered by match probability.
 */
final class SearchRoute implements Route {
    private final EmbeddingIndex index;
    private final EmbedRoute embed;
    private final Matcher matcher;
    private final DynamicBatcher batcher;
    private final ImageDecoding decoding;

    SearchRoute(EmbeddingIndex index, EmbedRoute embed, Matcher matcher, DynamicBatcher batcher,
            ImageDecoding decoding) {
        this.index = index;
        this.embed = embed;
        this.matcher = matcher;
        this.batcher = batcher;
        this.decoding = decoding;
    }

    private static List<SearchRerank.Ranked> plain(List<EmbeddingIndex.Hit> hits) {
        return hits.stream().map(h -> new SearchRerank.Ranked(h, null)).toList();
    }

    @Override
    public CompletableFuture<Object> handle(Form form, Admission.Ticket ticket) {
        int k = form.integer("k", 10, 1, 1000);
        int rerank = form.integer("rerank", 0, 0, 100);
        String target = form.string("target", "images").trim().toLowerCase(Locale.ROOT);
        if (!target.equals("images") && !target.equals("texts")) {
            throw ApiException.badField("target", "must be 'images' or 'texts'");
        }
        if (!index.has(target)) {
            throw ApiException.badField("target", "the index holds no " + target);
        }
        boolean textQuery = !form.strings("text").isEmpty();
        if (rerank > 0 && !(textQuery && target.equals("images"))) {
            throw ApiException.badField("rerank", "ITM re-ranking applies to a text query over images");
        }
        String query = textQuery ? form.strings("text").get(0) : null;
        return embed.embed(form, ticket).thenApply(q -> {
            try {
                return index.search(target, q, k);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).thenCompose(hits -> rerank == 0 ? CompletableFuture.completedFuture(body(plain(hits)))
                : rerank(query, hits, Math.min(rerank, hits.size())));
    }

    private CompletableFuture<Object> rerank(String query, List<EmbeddingIndex.Hit> hits, int n) {
        // one job on the matcher's worker: the model is used by one thread at a time
        return batcher.<List<EmbeddingIndex.Hit>, Object>submit(List.of("rerank", n, query), lists -> {
            List<Object> out = new ArrayList<>();
            for (List<EmbeddingIndex.Hit> h : lists) {
                out.add(body(SearchRerank.rerank(matcher, index, query, h, n, this::load)));
            }
            return out;
        }, hits);
    }

    private RgbImage load(java.nio.file.Path p) {
        try {
            return decoding.decode(java.nio.file.Files.readAllBytes(p), p.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object body(List<SearchRerank.Ranked> ranked) {
        List<Map<String, Object>> results = new ArrayList<>();
        for (SearchRerank.Ranked r : ranked) {
            Map<String, Object> m = Json.map("rank", results.size() + 1, "id", r.hit().id(), "score", r.hit().score());
            if (r.itm() != null) {
                m.put("itm", r.itm());
            }
            results.add(m);
        }
        return Json.map("results", results);
    }
}
