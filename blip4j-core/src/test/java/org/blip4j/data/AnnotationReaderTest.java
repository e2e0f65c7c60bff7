package org.blip4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotationReaderTest {
    @TempDir
    Path dir;

    private Path json(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    @Test
    void stringAndListCaptionsExpandToOnePairPerCaption() throws IOException {
        Path f = json("pre.json", "[{\"image\": \"a/1.jpg\", \"caption\": \"one\", \"url\": \"x\"},"
                + " {\"image\": \"b/2.jpg\", \"caption\": [\"two\", \"deux\"]}]");
        Path root = dir.resolve("images");
        List<Sample> s = AnnotationReader.blip(root).read(f);

        assertEquals(3, s.size());
        assertEquals(List.of("pre.json#0", "pre.json#1.0", "pre.json#1.1"), s.stream().map(Sample::key).toList());
        assertEquals(List.of("one"), s.get(0).captions());
        assertEquals(List.of("deux"), s.get(2).captions());
        assertEquals(new ImageSource.File(root.resolve("b/2.jpg")), s.get(2).image());
        assertEquals(List.of(0, 1, 1), s.stream().map(Sample::sourceIndex).toList());
        assertTrue(s.stream().noneMatch(Sample::hasImageId));
    }

    @Test
    void keepModeHoldsAllCaptionsInOneSample() throws IOException {
        Path f = json("pre.json", "[{\"image\": \"b/2.jpg\", \"caption\": [\"two\", \"deux\"]}]");
        List<Sample> s = AnnotationReader.blip(dir).captions(CaptionMode.KEEP).read(f);
        assertEquals(1, s.size());
        assertEquals(List.of("two", "deux"), s.get(0).captions());
        assertEquals("pre.json#0", s.get(0).key());
    }

    @Test
    void karpathyIdsAreConsecutiveInFirstSeenOrderAcrossFiles() throws IOException {
        // Train layout: one entry per caption, string image_id (as in coco_karpathy_train.json).
        Path train = json("train.json", "[{\"image\": \"x/COCO_1.jpg\", \"caption\": \"a\", \"image_id\": \"coco_9\"},"
                + "{\"image\": \"x/COCO_2.jpg\", \"caption\": \"b\", \"image_id\": \"coco_4\"},"
                + "{\"image\": \"x/COCO_1.jpg\", \"caption\": \"c\", \"image_id\": \"coco_9\"}]");
        // No image_id: the file name's trailing number identifies the image; no number: the path does.
        Path more = json("more.json", "[{\"image\": \"y/COCO_val2014_000000391895.jpg\", \"caption\": [\"d\", \"e\"]},"
                + "{\"image\": \"y/flower.jpg\", \"caption\": \"f\"},"
                + "{\"image\": \"z/00391895.png\", \"caption\": \"g\"}]");
        List<Sample> s = AnnotationReader.karpathy(dir).read(List.of(train, more));
        assertEquals(List.of(0L, 1L, 0L, 2L, 2L, 3L, 2L), s.stream().map(Sample::imageId).toList());
    }

    @Test
    void rawIdsUseTheNumbers() throws IOException {
        Path f = json("k.json", "[{\"image\": \"a.jpg\", \"caption\": \"a\", \"image_id\": 42},"
                + "{\"image\": \"b.jpg\", \"caption\": \"b\", \"image_id\": \"coco_203564\"},"
                + "{\"image\": \"flickr/1000092795.jpg\", \"caption\": \"c\"}]");
        List<Sample> s = AnnotationReader.karpathy(dir).imageIds(ImageIdMode.RAW).read(f);
        assertEquals(List.of(42L, 203564L, 1000092795L), s.stream().map(Sample::imageId).toList());

        Path bad = json("bad.json", "[{\"image\": \"a.jpg\", \"caption\": \"a\", \"image_id\": 1},"
                + "{\"image\": \"flower.jpg\", \"caption\": \"b\"}]");
        AnnotationFormatException e = assertThrows(AnnotationFormatException.class,
                () -> AnnotationReader.karpathy(dir).imageIds(ImageIdMode.RAW).read(bad));
        assertEquals(1, e.record());
        assertTrue(e.getMessage().contains("bad.json: record 1"), e.getMessage());
    }

    @Test
    void malformedFilesNameFileRecordAndField() throws IOException {
        assertError("[{\"image\": \"a.jpg\", \"caption\": \"a\"}, {\"caption\": \"b\"}]",
                "record 1: missing field \"image\"");
        assertError("[{\"image\": \"a.jpg\"}]", "record 0: missing field \"caption\"");
        assertError("[{\"image\": \"a.jpg\", \"caption\": \"a\"}, {\"image\": \"b.jpg\", \"caption\": [\"x\", 3]}]",
                "record 1: field \"caption\"[1] must be a string");
        assertError("[{\"image\": \"a.jpg\", \"caption\": []}]", "record 0: field \"caption\" must be a string or");
        assertError("[{\"image\": 5, \"caption\": \"a\"}]", "record 0: field \"image\" must be a non-empty string");
        assertError("[{\"image\": \"a.jpg\", \"caption\": \"a\"}, 7]", "record 1: expected an object");
        assertError("{\"image\": \"a.jpg\"}", "expected a JSON array");
        assertError("[{\"image\": \"a.jpg\", \"caption\": \"a\"}, {\"image\": \"b.jpg\" \"caption\": \"b\"}]",
                "record 1: invalid JSON");
        assertError("[{\"image\": \"a.jpg\", \"caption\": \"a\"}", "record 1: invalid JSON: Unexpected end-of-input");
        AnnotationFormatException e = assertThrows(AnnotationFormatException.class,
                () -> AnnotationReader.blip(dir).read(dir.resolve("nope.json")));
        assertTrue(e.getMessage().contains("nope.json"), e.getMessage());
    }

    private void assertError(String content, String expected) throws IOException {
        Path f = json("broken.json", content);
        AnnotationFormatException e = assertThrows(AnnotationFormatException.class,
                () -> AnnotationReader.blip(dir).read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
