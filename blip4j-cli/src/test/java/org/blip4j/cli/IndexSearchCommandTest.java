package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.blip4j.checkpoint.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code blip search} top-k ids (ITC only) equal an exact ranking computed from {@code blip embed} outputs. */
class IndexSearchCommandTest {
    static final String MODEL = "builtin:shapes-filter";

    @TempDir
    Path tmp;

    /** Rows of an embed output and their ids. */
    record Embeddings(List<String> ids, float[][] rows) {
        static Embeddings read(Path file) throws Exception {
            JsonNode index = ServeTestSupport.JSON.readTree(file.resolveSibling(file.getFileName() + ".index.json")
                    .toFile());
            List<String> ids = new ArrayList<>();
            index.get("ids").forEach(n -> ids.add(n.asText()));
            int dim = index.get("dim").asInt();
            float[] flat = Safetensors.read(file).get("embeddings").toFloats();
            float[][] rows = new float[ids.size()][dim];
            for (int i = 0; i < ids.size(); i++) {
                System.arraycopy(flat, i * dim, rows[i], 0, dim);
            }
            return new Embeddings(ids, rows);
        }
    }

    static List<String> exactTopK(Embeddings images, float[] q, int k) {
        List<Integer> order = new ArrayList<>();
        double[] score = new double[images.rows().length];
        for (int i = 0; i < score.length; i++) {
            order.add(i);
            for (int d = 0; d < q.length; d++) {
                score[i] += (double) q[d] * images.rows()[i][d];
            }
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -score[i]).thenComparingInt(i -> i));
        return order.subList(0, k).stream().map(i -> images.ids().get(i)).toList();
    }

    List<String> searchIds(Path index, String... query) {
        List<String> args = new ArrayList<>(List.of("search", "--index", index.toString(), "--model", MODEL, "--k",
                "5", "--json"));
        args.addAll(List.of(query));
        var r = CliRunner.run(args.toArray(new String[0]));
        assertEquals(0, r.exit(), r.err());
        List<String> ids = new ArrayList<>();
        int rank = 1;
        for (String line : r.out().lines().toList()) {
            try {
                JsonNode n = ServeTestSupport.JSON.readTree(line);
                assertEquals(rank++, n.get("rank").asInt());
                assertTrue(n.has("score"));
                ids.add(n.get("id").asText());
            } catch (java.io.IOException e) {
                throw new AssertionError(line, e);
            }
        }
        return ids;
    }

    @Test
    void searchEqualsTheExactRankingOfEmbedOutputsAndAppendsResume() throws Exception {
        Path images = tmp.resolve("images");
        ServeTestSupport.writeImages(images, 14, 4);
        Path more = tmp.resolve("more");
        ServeTestSupport.writeImages(more, 6, 5);
        Path index = tmp.resolve("idx");
        var idx = CliRunner.run("index", "--model", MODEL, "--images", images.toString(), "--out", index.toString());
        assertEquals(0, idx.exit(), idx.err());
        var again = CliRunner.run("index", "--model", MODEL, "--images", images.toString(), more.toString(), "--out",
                index.toString());
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.err().contains("added 6 embeddings"), again.err());

        Path imgEmb = tmp.resolve("images.safetensors");
        assertEquals(0, CliRunner.run("embed", "--model", MODEL, "--image", images.toString(), more.toString(),
                "--out", imgEmb.toString()).exit());
        Path queries = tmp.resolve("q.txt");
        Files.writeString(queries, "a red circle\nTwo blue squares!\n");
        Path txtEmb = tmp.resolve("texts.safetensors");
        assertEquals(0, CliRunner.run("embed", "--model", MODEL, "--texts", queries.toString(), "--out",
                txtEmb.toString()).exit());
        Embeddings img = Embeddings.read(imgEmb);
        Embeddings txt = Embeddings.read(txtEmb);
        assertEquals(20, img.ids().size());

        assertEquals(exactTopK(img, txt.rows()[0], 5), searchIds(index, "--text", "a red circle"));
        assertEquals(exactTopK(img, txt.rows()[1], 5), searchIds(index, "--text", "Two blue squares!"));
        assertEquals(exactTopK(img, img.rows()[7], 5), searchIds(index, "--image", img.ids().get(7)));
        assertEquals(img.ids().get(7), searchIds(index, "--image", img.ids().get(7)).get(0));

        // the same ranking through the HNSW path (graph candidates rescored exactly) on this small set
        Path hnsw = tmp.resolve("hnsw");
        assertEquals(0, CliRunner.run("index", "--model", MODEL, "--images", images.toString(), more.toString(),
                "--out", hnsw.toString(), "--hnsw-above", "10").exit());
        assertTrue(Files.isDirectory(hnsw.resolve("images.hnsw")));
        assertEquals(exactTopK(img, txt.rows()[0], 5), searchIds(hnsw, "--text", "a red circle"));
    }

    @Test
    void shardsAreIndexedByTheirSampleKeys() throws Exception {
        Path images = tmp.resolve("images");
        ServeTestSupport.writeImages(images, 6, 8);
        Path shards = tmp.resolve("shards");
        try (org.blip4j.data.WebDatasetWriter w = org.blip4j.data.WebDatasetWriter.open(shards, "part", 4)) {
            for (int i = 0; i < 6; i++) {
                w.write("sample" + i, Files.readAllBytes(images.resolve(String.format("img_%03d.png", i))), "png",
                        "a caption");
            }
            w.finish();
        }
        List<String> tars;
        try (var s = Files.list(shards)) {
            tars = s.map(Path::toString).filter(n -> n.endsWith(".tar")).sorted().toList();
        }
        Path index = tmp.resolve("idx");
        List<String> args = new ArrayList<>(List.of("index", "--model", MODEL, "--out", index.toString(), "--data"));
        args.addAll(tars);
        var r = CliRunner.run(args.toArray(new String[0]));
        assertEquals(0, r.exit(), r.err());
        assertEquals("sample4", searchIds(index, "--image", images.resolve("img_004.png").toString()).get(0));
    }

    @Test
    void rerankAddsItmScoresAndBadIndexIsNamed() throws Exception {
        Path images = tmp.resolve("images");
        ServeTestSupport.writeImages(images, 6, 6);
        Path index = tmp.resolve("idx");
        assertEquals(0, CliRunner.run("index", "--model", MODEL, "--images", images.toString(), "--out",
                index.toString()).exit());
        var r = CliRunner.run("search", "--index", index.toString(), "--model", MODEL, "--text", "a red circle",
                "--k", "4", "--rerank", "3", "--json");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size());
        for (int i = 0; i < 3; i++) {
            assertTrue(ServeTestSupport.JSON.readTree(lines.get(i)).has("itm"), lines.get(i));
        }
        var bad = CliRunner.run("search", "--index", tmp.resolve("nope").toString(), "--model", MODEL, "--text", "x");
        assertTrue(bad.exit() != 0);
        assertTrue(bad.err().contains("nope"), bad.err());
    }
}
