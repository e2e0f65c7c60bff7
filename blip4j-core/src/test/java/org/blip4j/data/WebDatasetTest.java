package org.blip4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.blip4j.image.ImageDecodeException;
import org.blip4j.image.ImageLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebDatasetTest {
    @TempDir
    Path dir;

    @Test
    void writerRotatesShardsAndReaderReadsThemBack() throws IOException {
        List<byte[]> images = new ArrayList<>();
        ShardManifest manifest;
        try (WebDatasetWriter w = WebDatasetWriter.open(dir, "cap", 2)) {
            for (int i = 0; i < 5; i++) {
                byte[] img = TestImages.encode(i % 2 == 0 ? "png" : "jpg", 16, 12, i);
                images.add(img);
                w.write(String.format("%09d", i), img, i % 2 == 0 ? "png" : "jpg", "caption " + i,
                        Map.of("score", 0.5 + i));
            }
            manifest = w.finish();
        }
        assertEquals(5, manifest.samples());
        assertEquals(List.of(new ShardManifest.Shard("cap-00000.tar", 2), new ShardManifest.Shard("cap-00001.tar", 2),
                new ShardManifest.Shard("cap-00002.tar", 1)), manifest.shards());
        assertEquals(manifest, ShardManifest.read(dir.resolve(ShardManifest.FILE_NAME)));
        assertNoTempFiles();

        List<Path> shards = WebDatasetReader.shards(dir, List.of("cap-{00000..00002}.tar"));
        assertEquals(manifest.shardPaths(dir), shards);
        List<Sample> samples = WebDatasetReader.create().read(shards);
        assertEquals(5, samples.size());
        for (int i = 0; i < 5; i++) {
            Sample s = samples.get(i);
            assertEquals(String.format("%09d", i), s.key());
            assertEquals(List.of("caption " + i), s.captions());
            assertEquals(i % 2, s.sourceIndex());
            ImageSource.TarMember m = (ImageSource.TarMember) s.image();
            assertArrayEquals(images.get(i), m.readBytes());
            assertEquals(ImageLoader.load(images.get(i), "x"), s.image().load());
            assertTrue(s.image().name().endsWith(".tar:" + s.key() + (i % 2 == 0 ? ".png" : ".jpg")));
        }
        try (Stream<Sample> lazy = WebDatasetReader.create().stream(shards)) {
            assertEquals(samples, lazy.toList());
        }
    }

    @Test
    void readsImg2datasetStyleMembersAndCountsWhatItDrops() throws IOException {
        Path shard = dir.resolve("mixed.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(shard))) {
            add(tar, "000.jpg", TestImages.encode("jpg", 16, 16, 0));
            add(tar, "000.txt", "a jpeg with txt\n".getBytes(StandardCharsets.UTF_8));
            add(tar, "001.png", TestImages.encode("png", 16, 16, 1));
            add(tar, "001.json", "{\"caption\": \"from json\", \"url\": \"u\"}".getBytes(StandardCharsets.UTF_8));
            add(tar, "002.jpg", TestImages.garbage(2)); // corrupt image: listed, skipped by the loader
            add(tar, "002.txt", "corrupt".getBytes(StandardCharsets.UTF_8));
            add(tar, "003.png", TestImages.encode("png", 16, 16, 3)); // no caption
            add(tar, "004.txt", "caption without image".getBytes(StandardCharsets.UTF_8));
            add(tar, "005.jpeg", TestImages.encode("jpg", 16, 16, 5));
            add(tar, "005.json", "{\"text\": \"text field\"}".getBytes(StandardCharsets.UTF_8));
            add(tar, "006.png", TestImages.encode("png", 16, 16, 6));
            add(tar, "006.txt", "txt wins".getBytes(StandardCharsets.UTF_8));
            add(tar, "006.json", "not json".getBytes(StandardCharsets.UTF_8));
            add(tar, "sub/007.jpg", TestImages.encode("jpg", 16, 16, 7));
            add(tar, "sub/007.txt", "in a folder".getBytes(StandardCharsets.UTF_8));
        }
        List<ShardReport> reports = new ArrayList<>();
        List<Sample> samples = WebDatasetReader.create().onShard(reports::add).readShard(shard);

        assertEquals(List.of("000", "001", "002", "005", "006", "sub/007"), samples.stream().map(Sample::key).toList());
        assertEquals(List.of("a jpeg with txt", "from json", "corrupt", "text field", "txt wins", "in a folder"),
                samples.stream().map(s -> s.captions().get(0)).toList());
        ShardReport r = reports.get(0);
        assertEquals(new ShardReport(shard, 6, 1, 1, 1, r.examples()), r);
        assertTrue(r.examples().contains("004: no image member"), r.examples().toString());
        assertTrue(r.examples().contains("003.png: no caption"), r.examples().toString());

        List<Sample> all = WebDatasetReader.create().requireCaption(false).onShard(x -> { }).readShard(shard);
        Sample uncaptioned = all.stream().filter(s -> s.key().equals("003")).findFirst().orElseThrow();
        assertEquals(List.of(), uncaptioned.captions());

        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> samples.get(2).image().load());
        assertTrue(e.getMessage().startsWith(shard + ":002.jpg"), e.getMessage());

        try (DataLoader loader = DataLoader.builder(all, (s, img, rnd) -> new float[] {img.width()})
                .batchSize(2).build()) {
            Epoch epoch = loader.epoch(0);
            List<Batch> batches = new ArrayList<>();
            epoch.forEach(batches::add);
            assertEquals(List.of("000", "001", "003", "005", "006", "sub/007"),
                    batches.stream().flatMap(b -> b.keys().stream()).toList());
            assertEquals(List.of("a jpeg with txt", "from json", "", "text field", "txt wins", "in a folder"),
                    batches.stream().flatMap(b -> b.captions().stream()).toList());
            assertEquals(1, epoch.report().skipped(SkipReason.UNDECODABLE));
        }
    }

    @Test
    void closingWithoutFinishDiscardsTheOpenShard() throws IOException {
        try (WebDatasetWriter w = WebDatasetWriter.open(dir, "part", 2)) {
            for (int i = 0; i < 3; i++) {
                w.write("k" + i, TestImages.encode("png", 8, 8, i), "png", null);
            }
            assertEquals(1, w.shards().size());
        }
        assertTrue(Files.exists(dir.resolve("part-00000.tar")));
        assertFalse(Files.exists(dir.resolve("part-00001.tar")));
        assertFalse(Files.exists(dir.resolve(ShardManifest.FILE_NAME)));
        assertNoTempFiles();
        // Uncaptioned samples (caption null) come back with no captions when captions are optional.
        List<Sample> s = WebDatasetReader.create().requireCaption(false).readShard(dir.resolve("part-00000.tar"));
        assertEquals(List.of("k0", "k1"), s.stream().map(Sample::key).toList());
        assertEquals(List.of(), s.get(0).captions());
    }

    @Test
    void badInputsAreNamed() throws IOException {
        try (WebDatasetWriter w = WebDatasetWriter.open(dir, "x", 10)) {
            assertThrows(IllegalArgumentException.class, () -> w.write("a.b", new byte[1], "png", "c"));
            assertThrows(IllegalArgumentException.class, () -> w.write("a", new byte[1], "txt", "c"));
        }
        NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> WebDatasetReader.shards(dir, List.of("s-{0..1}.tar")));
        assertTrue(missing.getMessage().contains("s-0.tar"), missing.getMessage());

        Path notTar = Files.write(dir.resolve("bad.tar"), TestImages.garbage(1));
        IOException e = assertThrows(IOException.class, () -> WebDatasetReader.create().readShard(notTar));
        assertTrue(e.getMessage().contains("bad.tar"), e.getMessage());
    }

    private void assertNoTempFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(p -> p.toString().endsWith(".tmp")).toList());
        }
    }

    private static void add(TarArchiveOutputStream tar, String name, byte[] data) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

}
