package org.blip4j.index;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.blip4j.image.RgbImage;
import org.blip4j.task.Matcher;

/**
 * Re-ranks the first N hits of a text query over images with ITM: each candidate image is scored against the
 * query and the N are reordered by match probability (ties keep the ITC order); later hits keep their place.
 */
public final class SearchRerank {
    /** A hit with its ITM match probability (null past the re-ranked ones). */
    public record Ranked(EmbeddingIndex.Hit hit, Double itm) {
    }

    private SearchRerank() {
    }

    /**
     * @param load decodes a candidate's image file
     * @throws IllegalStateException naming the id when a candidate has no readable image file
     */
    public static List<Ranked> rerank(Matcher matcher, EmbeddingIndex index, String query, List<EmbeddingIndex.Hit> hits,
            int n, Function<Path, RgbImage> load) {
        int m = Math.min(n, hits.size());
        List<RgbImage> images = new ArrayList<>();
        for (EmbeddingIndex.Hit h : hits.subList(0, m)) {
            Path p = index.imageFile(h.id()).orElseThrow(() -> new IllegalStateException("rerank: the image of '"
                    + h.id() + "' is not a readable file where the index was built (ids from shards cannot be"
                    + " re-ranked)"));
            images.add(load.apply(p));
        }
        Matcher.PairScore[] scores = matcher.scorePairs(images, Collections.nCopies(m, query));
        List<Ranked> head = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            head.add(new Ranked(hits.get(i), scores[i].itmProbability()));
        }
        head.sort(Comparator.comparingDouble((Ranked r) -> r.itm()).reversed()
                .thenComparingInt(r -> r.hit().rank()));
        List<Ranked> out = new ArrayList<>();
        for (Ranked r : head) {
            out.add(r);
        }
        for (EmbeddingIndex.Hit h : hits.subList(m, hits.size())) {
            out.add(new Ranked(h, null));
        }
        return out;
    }
}
