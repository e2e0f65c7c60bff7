package org.blip4j.bulk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        Path images = Fixtures.tinyA().resolve("images");
        ArrayNode web = new ObjectMapper().createArrayNode();
        try (var files = Files.list(images)) {
            for (Path f : files.sorted().toList()) {
                web.addObject().put("image", f.getFileName().toString()).put("caption", "an image");
            }
        }
        Path json = tmp.resolve("web.json");
        new ObjectMapper().writeValue(json.toFile(), web);
        ShardExport.export(json, images, tmp.resolve("w"), 2);
        Files.writeString(tmp.resolve("w/00002.tar"), "not a tar");
        return WebDatasetReader.shards(tmp.resolve("w"), List.of("{00000..00002}.tar"));
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
}
