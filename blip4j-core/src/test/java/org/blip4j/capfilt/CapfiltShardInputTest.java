package org.blip4j.capfilt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.blip4j.data.ShardSample;
import org.blip4j.data.WebDatasetReader;
import org.blip4j.task.Blip;
import org.blip4j.testutil.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CapFilt over webdataset shards: one part per shard named after it, records carrying shard and key, seeds from
 * that identity (so shard order, worker count and who computes a part change nothing), corrupt shards and members
 * counted, and the remote-runner path a Spark job takes (a serialized {@link CapfiltJob}).
 */
class CapfiltShardInputTest {
    private static Blip blip;

    @TempDir
    Path tmp;
    private List<Path> shards;

    @BeforeAll
    static void load() throws IOException {
        org.blip4j.engine.Engines.configure(1);
        blip = Blip.load(Fixtures.tinyAModel().toString());
    }

    @AfterAll
    static void close() {
        blip.close();
    }

    /** 12 records in 3 shards of 4 (img2dataset layout), a 4th shard with a corrupt image and a symlink, a 5th not a tar. */
    @BeforeEach
    void shards() throws IOException {
        CapfiltFixture fx = new CapfiltFixture(tmp.resolve("in"));
        Path web = tmp.resolve("web");
        ShardExport.export(fx.web, fx.root, web, 4);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(web.resolve("00003.tar")))) {
            add(tar, "000030000.png", Files.readAllBytes(fx.images.resolve(CapfiltFixture.IMAGES[1])));
            add(tar, "000030000.txt", "a gradient".getBytes(StandardCharsets.UTF_8));
            add(tar, "000030001.png", "not a png".getBytes(StandardCharsets.UTF_8));
            add(tar, "000030001.txt", "corrupt image".getBytes(StandardCharsets.UTF_8));
            TarArchiveEntry link = new TarArchiveEntry("000030002.png", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            add(tar, "000030002.txt", "a link".getBytes(StandardCharsets.UTF_8));
        }
        Files.write(web.resolve("00004.tar"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        shards = org.blip4j.data.WebDatasetReader.shards(web, List.of("{00000..00004}.tar"));
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private CapfiltConfig config(Path out, List<Path> in, boolean writeShards) {
        return new CapfiltConfig("tiny-a", "tiny-a", null, null, null, out, null, 1000, writeShards, in);
    }

    private static CapfiltOptions options() {
        return CapfiltOptions.defaults().withGeneration(CapfiltOptions.defaults().generation().withSeed(3))
                .withBatchSize(3);
    }

    private CapfiltReport run(CapfiltConfig c, int workers, CapfiltPipeline.Listener l) throws IOException {
        return new CapfiltPipeline(c, options(), workers).run(() -> new CapfiltModels(blip, blip), l);
    }

    @Test
    void recordsCarryShardAndKeyAndBadInputIsCounted() throws IOException {
        Path out = tmp.resolve("one");
        CapfiltReport r = run(config(out, shards, false), 1, new CapfiltPipeline.Listener() { });

        assertEquals(14, r.webRecords(), "12 exported + 2 readable keys of shard 3");
        assertEquals(1, r.skippedImages(), "the corrupt png");
        CapfiltReport.ShardCounts c = r.inputShards();
        assertEquals(5, c.shards());
        assertEquals(1, c.corrupt());
        assertTrue(c.corruptExamples().get(0).startsWith("00004.tar: "), c.corruptExamples().toString());
        assertFalse(c.corruptExamples().get(0).contains(tmp.toString()), "parts name shards, not paths");
        assertEquals(Map.of("link", 1L), c.skippedMembers());
        assertEquals(1, c.withoutImage(), "the link's text has no image");
        for (String name : List.of("00000", "00001", "00002", "00003", "00004")) {
            assertTrue(Files.isRegularFile(out.resolve("parts/" + name + ".jsonl")), name);
        }
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("Input shards: 5 read, 1 unreadable") && md.contains("link 1"), md);
        assertTrue(md.contains("unreadable shard 00004.tar"), md);

        List<JsonNode> lines = CapfiltFixture.partLines(out);
        JsonNode first = lines.get(0);
        assertEquals("00000.tar", first.get("shard").asText());
        assertEquals("000000000", first.get("key").asText());
        assertEquals("00000.tar/000000000.png", first.get("image").asText());
        assertEquals("images/" + CapfiltFixture.IMAGES[0], first.get("metadata").get("url").asText());
        for (JsonNode n : lines) {
            if (n.get("source") != null && n.get("source").asText().equals("synthetic")) {
                ShardOrigin o = new ShardOrigin(n.get("shard").asText(), n.get("key").asText(), null);
                assertEquals(org.blip4j.generate.NucleusSampler.rowSeed(3, o.seedKey()), n.get("sample_seed").asLong(),
                        "seed from (shard, key): " + n);
            }
        }
        for (JsonNode n : CapfiltFixture.JSON.readTree(out.resolve("bootstrapped.json").toFile())) {
            assertTrue(n.has("shard") && n.has("key"), n.toString());
        }
    }

    @Test
    void workersOrderAndRemoteComputationChangeNoRecord() throws Exception {
        Path one = tmp.resolve("one");
        run(config(one, shards, true), 1, new CapfiltPipeline.Listener() { });
        Path two = tmp.resolve("two");
        run(config(two, shards, true), 2, new CapfiltPipeline.Listener() { });
        assertArrayEquals(Files.readAllBytes(one.resolve("bootstrapped.json")),
                Files.readAllBytes(two.resolve("bootstrapped.json")));

        // a "remote" runner: the job crosses a serialization boundary and each part is computed from it alone
        Path remote = tmp.resolve("remote");
        CapfiltConfig rc = config(remote, shards, true);
        CapfiltJob job = roundTrip(new CapfiltJob(rc, options(), "cpu", 1));
        List<String> computed = new ArrayList<>();
        new CapfiltPipeline(rc, options()).run(() -> {
            throw new AssertionError("the driver loads no model when parts are computed remotely");
        }, new CapfiltPipeline.Listener() { }, missing -> {
            for (Path s : missing) {
                job.computeShard(s, new CapfiltModels(blip, blip));
                computed.add(s.getFileName().toString());
            }
        });
        assertEquals(5, computed.size());
        assertArrayEquals(Files.readAllBytes(one.resolve("bootstrapped.json")),
                Files.readAllBytes(remote.resolve("bootstrapped.json")));
        assertEquals(Files.readString(one.resolve("report.md")), Files.readString(remote.resolve("report.md")));

        // the kept pairs as webdataset shards, readable as training input
        List<ShardSample> kept = WebDatasetReader.create().readSamples(one.resolve("shards/capfilt-00000.tar"));
        assertEquals(CapfiltFixture.JSON.readTree(one.resolve("bootstrapped.json").toFile()).size(), kept.size());
        assertTrue(kept.get(0).metadata().has("shard"));
        // ... which pre-training reads directly: train_file naming the output shards
        org.blip4j.train.TrainConfig cfg = org.blip4j.train.TrainConfig.parse(
                "train_file: ['shards/capfilt-{00000..00000}.tar']\n", "bootstrapped shards");
        assertEquals(kept.size(), org.blip4j.train.TrainingData.load(cfg, org.blip4j.train.TrainingTask.PRETRAIN, one)
                .samples().size());

        // shards in another order: the same records (seeds come from identity, not position)
        Path reversed = tmp.resolve("reversed");
        List<Path> backwards = new ArrayList<>(shards);
        java.util.Collections.reverse(backwards);
        run(config(reversed, backwards, false), 1, new CapfiltPipeline.Listener() { });
        assertEquals(byIdentity(one), byIdentity(reversed));
    }

    @Test
    void aKilledRunResumesShardByShard() throws IOException {
        Path whole = tmp.resolve("whole");
        run(config(whole, shards, false), 1, new CapfiltPipeline.Listener() { });
        Path out = tmp.resolve("killed");
        assertThrows(IOException.class, () -> run(config(out, shards, false), 1, new CapfiltPipeline.Listener() {
            @Override
            public void shardWritten(String shard, int records) throws IOException {
                throw new IOException("killed after " + shard);
            }
        }));
        assertTrue(Files.exists(out.resolve("parts/00000.jsonl")));
        assertFalse(Files.exists(out.resolve("bootstrapped.json")));
        int[] started = new int[2];
        run(config(out, shards, false), 1, new CapfiltPipeline.Listener() {
            @Override
            public void shardsStarted(int n, int done) {
                started[0] = n;
                started[1] = done;
            }
        });
        assertArrayEquals(new int[] {5, 1}, started);
        assertArrayEquals(Files.readAllBytes(whole.resolve("bootstrapped.json")),
                Files.readAllBytes(out.resolve("bootstrapped.json")));
        // a different shard list is another run
        assertThrows(CapfiltArgumentsException.class,
                () -> run(config(out, shards.subList(0, 2), false), 1, new CapfiltPipeline.Listener() { }));
    }

    private static TreeMap<String, String> byIdentity(Path out) throws IOException {
        TreeMap<String, String> m = new TreeMap<>();
        for (JsonNode n : CapfiltFixture.JSON.readTree(out.resolve("bootstrapped.json").toFile())) {
            m.put(n.get("source").asText() + "/" + n.get("shard").asText() + "/" + n.get("key").asText() + "/"
                    + n.get("text_index").asInt(), n.toString());
        }
        return m;
    }

    private static CapfiltJob roundTrip(CapfiltJob job) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(job);
        }
        try (ObjectInputStream i = new ObjectInputStream(new ByteArrayInputStream(b.toByteArray()))) {
            return (CapfiltJob) i.readObject();
        }
    }
}
