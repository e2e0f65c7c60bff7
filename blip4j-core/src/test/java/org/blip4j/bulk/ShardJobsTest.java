package org.blip4j.bulk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.blip4j.capfilt.ShardExport;
import org.blip4j.data.WebDatasetReader;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bulk caption and embedding jobs over shards in one JVM: worker count changes nothing, reruns resume. */
class ShardJobsTest {
    private static final String MODEL = Fixtures.tinyAModel().toString();

    @TempDir
    Path tmp;

    @BeforeAll
    static void engine() {
        org.blip4j.engine.Engines.configure(1);
    }

    private List<Path> shards() throws IOException {
        return shards(2);
    }

    private List<Path> shards(int perShard) throws IOException {
        Path images = Fixtures.tinyA().resolve("images");
        ArrayNode web = new ObjectMapper().createArrayNode();
        try (var files = Files.list(images)) {
            for (Path f : files.sorted().toList()) {
                web.addObject().put("image", f.getFileName().toString()).put("caption", "an image");
            }
        }
        Path json = tmp.resolve("web.json");
        new ObjectMapper().writeValue(json.toFile(), web);
        ShardExport.export(json, images, tmp.resolve("w"), perShard);
        int n = (web.size() + perShard - 1) / perShard;
        Files.writeString(tmp.resolve(String.format("w/%05d.tar", n)), "not a tar");
        return WebDatasetReader.shards(tmp.resolve("w"), List.of(String.format("{00000..%05d}.tar", n)));
    }

    @Test
    void captionsDoNotDependOnWorkersAndReRunsResume() throws IOException {
        List<Path> shards = shards();
        GenerationOptions g = GenerationOptions.nucleus(0.9, 12, 3, 5).withNumReturnSequences(2);
        CaptionShardsJob one = new CaptionShardsJob(MODEL, "cpu", 1, tmp.resolve("one"), g, "a picture of ", 3);
        ShardJobRunner.computeHere(one, shards, 1, s -> { });
        String summary = one.assemble(shards);
        assertTrue(summary.startsWith("8 captions of 3 shards") && summary.endsWith("1 unreadable shard(s)"), summary);

        CaptionShardsJob two = new CaptionShardsJob(MODEL, "cpu", 1, tmp.resolve("two"), g, "a picture of ", 3);
        ShardJobRunner.computeHere(two, shards, 2, s -> { });
        two.assemble(shards);
        byte[] expected = Files.readAllBytes(tmp.resolve("one/captions.jsonl"));
        assertArrayEquals(expected, Files.readAllBytes(tmp.resolve("two/captions.jsonl")));

        Files.delete(two.part(shards.get(1)));
        assertEquals(List.of(shards.get(1)), ShardJobRunner.missing(two, shards));
        ShardJobRunner.computeHere(two, ShardJobRunner.missing(two, shards), 1, s -> { });
        two.assemble(shards);
        assertArrayEquals(expected, Files.readAllBytes(tmp.resolve("two/captions.jsonl")));
        assertTrue(new String(expected).startsWith("{\"shard\":\"00000.tar\",\"key\":\"000000000\""));
    }

    @Test
    void embeddingsAreUnitRowsIndexedByShardAndKey() throws IOException {
        List<Path> shards = shards();
        Path out = tmp.resolve("emb.safetensors");
        EmbedShardsJob job = new EmbedShardsJob(MODEL, "cpu", 1, out, 3);
        ShardJobRunner.computeHere(job, shards, 2, s -> { });
        assertTrue(job.assemble(shards).startsWith("4 embeddings of 3 shards"));
        String index = Files.readString(Path.of(out + ".index.json"));
        assertTrue(index.contains("\"00000.tar/000000000\"") && index.contains("\"00001.tar/000010001\""), index);
        assertTrue(Files.size(out) > 4 * 4 * 8);
        assertTrue(Files.isRegularFile(tmp.resolve("emb.safetensors.parts/00002.jsonl")), "the corrupt shard's part");
    }

    @Test
    void slicesJoinIntoTheWholeShardsPartAndAKilledRunResumesFromThem() throws IOException {
        List<Path> shards = shards(4); // one shard of 4 samples, then one that is not a tar
        GenerationOptions g = GenerationOptions.nucleus(0.9, 12, 3, 5);
        CaptionShardsJob whole = new CaptionShardsJob(MODEL, "cpu", 1, tmp.resolve("whole"), g, "a picture of ", 1);
        ShardJobRunner.computeHere(whole, shards, 1, s -> { });
        CaptionShardsJob sliced = new CaptionShardsJob(MODEL, "cpu", 1, tmp.resolve("sliced"), g, "a picture of ",
                1);
        List<ShardSlices.Task> tasks = ShardSlices.plan(sliced, shards, 1);
        assertEquals(List.of(0, 1, 2, 3, -1), tasks.stream().map(ShardSlices.Task::index).toList());
        assertEquals(List.of(2, 3), List.of(tasks.get(2).from(), tasks.get(2).to()));

        // a killed run: slices 0 and 2 written (slice 0 marked to see that it is reused), a temporary file of 1
        var blip = sliced.open();
        try {
            ShardSlices.run(sliced, tasks.get(0), blip);
            ShardSlices.run(sliced, tasks.get(2), blip);
        } finally {
            blip.close();
        }
        Path slice0 = ShardSlices.sliceFile(sliced, tasks.get(0));
        assertEquals("000000000-000000001.jsonl", slice0.getFileName().toString());
        String computed = Files.readString(slice0);
        Files.writeString(slice0, computed.replaceFirst("\"caption\":\"", "\"caption\":\"REUSED "));
        Files.writeString(slice0.resolveSibling(".000000001-000000002.jsonl.123.tmp"), "half a slice");
        // a slice of an earlier run with another --records-per-task: not one of this run's, never joined
        Files.writeString(slice0.resolveSibling("000000000-000000002.jsonl"), "{\"caption\":\"STALE\"}\n");
        ShardJobRunner.computeHere(sliced, shards, 2, 1, s -> { });
        String part = Files.readString(sliced.part(shards.get(0)));
        assertTrue(part.contains("REUSED "), "the finished slice is not recomputed");
        assertFalse(part.contains("STALE"), part);
        assertEquals(Files.readString(whole.part(shards.get(0))), part.replace("REUSED ", ""),
                "the slices joined are the whole shard's part");
        assertFalse(Files.exists(ShardSlices.sliceDir(sliced, shards.get(0))), "slices and temporary files removed");
        assertArrayEquals(Files.readAllBytes(whole.part(shards.get(1))),
                Files.readAllBytes(sliced.part(shards.get(1))));

        // a finished shard is skipped whole: its tasks do nothing
        assertEquals(0, ShardSlices.run(sliced, tasks.get(1), null));
        assertThrows(IllegalArgumentException.class, () -> ShardSlices.checkRecordsPerTask(3, 2));
    }
}
