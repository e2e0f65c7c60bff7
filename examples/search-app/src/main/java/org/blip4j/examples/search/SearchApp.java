package org.blip4j.examples.search;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.blip4j.image.ImageDecodeException;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;
import org.blip4j.task.Blip;
import org.blip4j.task.Embedder;
import org.blip4j.task.Matcher;

/**
 * Text-to-image search over a folder, the way BLIP retrieves: every image embedded once (ITC), images ranked by
 * cosine with the query, the best {@code K} re-ranked by the image-text matching head (ITM).
 * {@code java -jar search-app.jar [--model M] [--top K] DIR QUERY}; the model defaults to
 * {@code builtin:shapes-filter} (from blip4j-models).
 */
public final class SearchApp {
    private SearchApp() {
    }

    public static void main(String[] args) throws Exception {
        String model = "builtin:shapes-filter";
        int top = 3;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--model") && i + 1 < args.length) {
                model = args[++i];
            } else if (args[i].equals("--top") && i + 1 < args.length) {
                top = Integer.parseInt(args[++i]);
            } else {
                rest.add(args[i]);
            }
        }
        if (rest.size() != 2 || top < 1) {
            System.err.println("usage: java -jar search-app.jar [--model M] [--top K>=1] DIR QUERY");
            System.exit(2);
        }
        Path dir = Path.of(rest.get(0));
        String query = rest.get(1);

        List<Path> files = new ArrayList<>();
        List<RgbImage> images = new ArrayList<>();
        for (Path f : imageFiles(dir)) {
            try {
                images.add(ImageLoader.load(f));
                files.add(f);
            } catch (ImageDecodeException e) {
                System.err.println("skipped: " + e.getMessage());
            }
        }
        if (images.isEmpty()) {
            System.err.println(dir + ": no readable images");
            System.exit(1);
        }

        try (Blip blip = Blip.load(model)) {
            Embedder embedder = new Embedder(blip);
            float[][] imageVectors = embedder.embedImages(images);   // an index would store these
            float[] queryVector = embedder.embedTexts(List.of(query))[0];
            List<Integer> byCosine = IntStream.range(0, images.size()).boxed()
                    .sorted(Comparator.comparingDouble(i -> -Embedder.dot(imageVectors[i], queryVector)))
                    .limit(top).toList();

            Matcher matcher = new Matcher(blip);
            List<RgbImage> candidates = byCosine.stream().map(images::get).toList();
            Matcher.PairScore[][] scores = matcher.scoreAll(candidates, List.of(query));
            List<Integer> ranked = IntStream.range(0, candidates.size()).boxed()
                    .sorted(Comparator.comparingDouble(c -> -scores[c][0].itmProbability())).toList();
            System.out.println("query: " + query + " (" + images.size() + " images)");
            for (int r = 0; r < ranked.size(); r++) {
                int c = ranked.get(r);
                System.out.printf(Locale.ROOT, "%d\titm %.3f\tcosine %.3f\t%s%n", r + 1,
                        scores[c][0].itmProbability(), scores[c][0].itcCosine(), files.get(byCosine.get(c)));
            }
        }
    }

    private static List<Path> imageFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": not a directory");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(png|jpe?g|webp|bmp)")).sorted().toList();
        }
    }
}
