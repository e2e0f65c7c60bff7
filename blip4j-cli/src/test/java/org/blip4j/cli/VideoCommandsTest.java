package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jcodec.api.awt.AWTSequenceEncoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval retrieval-video}, {@code caption --video} and {@code vqa --video} over a generated MP4 and frames. */
class VideoCommandsTest {
    static final Path TINY_A_MODEL = CliRunner.TINY_A.resolve("model");
    static final Path VQA_MODEL = Path.of("../blip4j-core/src/test/resources/parity/tiny-a-vqa/model").toAbsolutePath()
            .normalize();

    @TempDir
    static Path tmp;
    static Path videos;

    @BeforeAll
    static void makeVideos() throws Exception {
        videos = tmp.resolve("videos");
        Files.createDirectories(videos.resolve("frames"));
        BufferedImage a = ImageIO.read(CliRunner.TINY_A.resolve("images/img0_blocks_64x64.png").toFile());
        BufferedImage b = ImageIO.read(CliRunner.TINY_A.resolve("images/img1_gradient_64x64.png").toFile());
        AWTSequenceEncoder enc = AWTSequenceEncoder.createSequenceEncoder(videos.resolve("clip.mp4").toFile(), 8);
        for (int f = 0; f < 10; f++) {
            enc.encodeImage(f < 5 ? a : b);
        }
        enc.finish();
        for (int f = 0; f < 3; f++) {
            ImageIO.write(b, "png", videos.resolve("frames").resolve(f + ".png").toFile());
        }
        Files.writeString(videos.resolve("corrupt.mp4"), "not a video");
    }

    @Test
    void evalRetrievalVideoReportsTheOfficialKeysAndCountsACorruptVideo() throws Exception {
        Path ann = tmp.resolve("ann.json");
        Files.writeString(ann, "[{\"video\": \"clip.mp4\", \"caption\": \"blocks then a gradient\"},"
                + " {\"video\": \"frames\", \"caption\": \"a gradient\"}, {\"video\": \"corrupt\", \"caption\": \"x\"}]");
        CliRunner.Result r = CliRunner.run("eval", "retrieval-video", "--model", TINY_A_MODEL.toString(), "--videos",
                videos.toString(), "--annotations", ann.toString(), "--k-test", "2", "--json");
        assertEquals(1, r.exit(), "a skipped video makes the exit status non-zero: " + r.err());
        JsonNode out = new ObjectMapper().readTree(r.out());
        for (String k : new String[] {"txt_r1", "txt_r5", "txt_r10", "txt_r_mean", "vid_r1", "vid_r5", "vid_r10",
            "vid_r_mean", "r_mean"}) {
            assertTrue(out.has(k), k);
        }
        assertEquals(2, out.path("videos").asInt());
        assertEquals(1, out.path("skipped_videos").asInt());
        assertEquals(100.0, out.path("vid_r5").asDouble());
        assertTrue(r.err().contains("corrupt.mp4"), r.err());
    }

    @Test
    void captionAndVqaAnswerAboutAVideo() {
        CliRunner.Result c = CliRunner.run("caption", "--model", TINY_A_MODEL.toString(), "--greedy", "--video",
                videos.resolve("clip.mp4").toString(), videos.resolve("frames").toString(), "--json");
        assertEquals(0, c.exit(), c.err());
        assertEquals(2, c.out().strip().split("\n").length, c.out());
        CliRunner.Result q = CliRunner.run("vqa", "--model", VQA_MODEL.toString(), "--video",
                videos.resolve("clip.mp4").toString(), "--question", "what is it?", "--beams", "1", "--json");
        assertEquals(0, q.exit(), q.err());
        assertTrue(q.out().contains("\"video\""), q.out());
        CliRunner.Result bad = CliRunner.run("vqa", "--model", VQA_MODEL.toString(), "--video",
                videos.resolve("corrupt.mp4").toString(), "--question", "what is it?");
        assertEquals(1, bad.exit());
    }
}
