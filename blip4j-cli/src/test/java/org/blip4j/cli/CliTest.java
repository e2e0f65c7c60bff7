package org.blip4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.blip4j.checkpoint.RawTensor;
import org.blip4j.checkpoint.Safetensors;
import org.blip4j.train.AdamW;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end CLI runs on the tiny-a parity model. */
class CliTest {
    static final Path MODEL = CliRunner.TINY_A.resolve("model");
    static final Path IMAGES = CliRunner.TINY_A.resolve("images");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void infoPrintsConfigAndParameterCounts() {
        var r = CliRunner.run("info", "--model", MODEL.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("vision: ViT 48 wide, 2 layers, 4 heads"), r.out());
        assertTrue(r.out().contains("[DEC]=329 [ENC]=330"), r.out());
        assertTrue(r.out().matches("(?s).*total\\s+252,398.*"), r.out());
    }

    @Test
    void greedyCaptionsEqualTheOfficialOnesAndBadImagesAreReported() throws Exception {
        Path bad = tmp.resolve("broken.png");
        Files.write(bad, new byte[] {1, 2, 3});
        var r = CliRunner.run("caption", "--model", MODEL.toString(), "--greedy", IMAGES.toString(), bad.toString());
        assertEquals(1, r.exit(), "an unreadable image makes the exit status non-zero");
        assertTrue(r.err().contains("broken.png"), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(4, lines.size(), r.out());
        assertEquals(IMAGES.resolve("img1_gradient_64x64.png") + "\t"
                + " cat behind m bag waiting photo looking boat catt pizza boat behind bag tall", lines.get(1));
        assertEquals(IMAGES.resolve("img3_gray_50x40.png") + "\t"
                + "x boy red waiting toy toy toy bagie ( waiting waterie bag bag giraffe", lines.get(3));
    }

    @Test
    void sampledCaptionsAreSeededAndJsonShaped() throws Exception {
        String img = IMAGES.resolve("img0_blocks_64x64.png").toString();
        var a = CliRunner.run("caption", "--model", MODEL.toString(), "--sample", "--seed", "7", "--num-captions",
                "3", "--json", img);
        var b = CliRunner.run("caption", "--model", MODEL.toString(), "--sample", "--seed", "7", "--num-captions",
                "3", "--json", "--batch-size", "1", img, IMAGES.resolve("img1_gradient_64x64.png").toString());
        assertEquals(0, a.exit(), a.err());
        List<String> la = a.out().lines().toList();
        assertEquals(3, la.size());
        assertEquals(la, b.out().lines().toList().subList(0, 3), "a seed reproduces samples whatever the batch");
        JsonNode n = JSON.readTree(la.get(0));
        assertEquals(img, n.get("image").asText());
        assertTrue(n.get("score").isNumber() && n.get("caption").isTextual());
    }

    @Test
    void itmScoresEveryPairAsJson() throws Exception {
        var r = CliRunner.run("itm", "--model", MODEL.toString(), "--image", IMAGES.toString(), "--text",
                "a dog sitting on the grass", "a red car", "--json");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(8, lines.size());
        for (String l : lines) {
            JsonNode n = JSON.readTree(l);
            double itm = n.get("itm").asDouble();
            assertTrue(itm > 0 && itm < 1);
            assertTrue(Math.abs(n.get("itc").asDouble()) <= 1.0);
        }
    }

    @Test
    void embedWritesNormalisedVectorsWithIds() throws Exception {
        Path out = tmp.resolve("img.safetensors");
        var r = CliRunner.run("embed", "--model", MODEL.toString(), "--image", IMAGES.toString(), "--out",
                out.toString());
        assertEquals(0, r.exit(), r.err());
        Map<String, RawTensor> t = Safetensors.read(out);
        float[] v = t.get("embeddings").toFloats();
        assertEquals(4 * 32, v.length);
        double norm = 0;
        for (int i = 0; i < 32; i++) {
            norm += v[i] * v[i];
        }
        assertEquals(1.0, norm, 1e-5);
        JsonNode index = JSON.readTree(tmp.resolve("img.safetensors.index.json").toFile());
        assertEquals(4, index.get("ids").size());
        Path texts = tmp.resolve("texts.txt");
        Files.writeString(texts, "a dog\na red car\n");
        Path npy = tmp.resolve("txt.npy");
        var r2 = CliRunner.run("embed", "--model", MODEL.toString(), "--texts", texts.toString(), "--out",
                npy.toString());
        assertEquals(0, r2.exit(), r2.err());
        byte[] bytes = Files.readAllBytes(npy);
        assertEquals((byte) 0x93, bytes[0]);
        assertTrue(new String(bytes, 0, 128).contains("'shape': (2, 32)"));
    }

    @Test
    void convertedOriginalCheckpointScoresLikeTheHfDirectory() throws Exception {
        Path out = tmp.resolve("converted");
        var c = CliRunner.run("convert", "--checkpoint", MODEL.resolve("original.pth").toString(), "--out",
                out.toString(), "--med-config", MODEL.resolve("med_config.json").toString(), "--vision-heads", "4",
                "--tokenizer", MODEL.toString());
        assertEquals(0, c.exit(), c.err());
        String img = IMAGES.resolve("img2_nonsquare_150x110.png").toString();
        var a = CliRunner.run("itm", "--model", MODEL.toString(), "--image", img, "--text", "a red car", "--json");
        var b = CliRunner.run("itm", "--model", out.toString(), "--image", img, "--text", "a red car", "--json");
        assertEquals(0, b.exit(), b.err());
        JsonNode na = JSON.readTree(a.out().trim());
        JsonNode nb = JSON.readTree(b.out().trim());
        assertEquals(na.get("itm").asDouble(), nb.get("itm").asDouble(), 1e-6);
        assertEquals(na.get("itc").asDouble(), nb.get("itc").asDouble(), 1e-6);
    }

    /** A pre-training benchmark on the demo's small model: the figures, and which loops ran the parameter updates. */
    @Test
    void benchTrainPrintsItsFiguresAndTheUpdateLoops() {
        var r = CliRunner.run("bench", "--what", "train", "--size", "shapes", "--image-size", "64", "--batch", "2",
                "--steps", "1", "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        for (String figure : List.of("samples_per_s", "seconds_per_step", "peak_rss_mib")) {
            assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith(figure + " ")), figure + " in " + r.out());
        }
        // the run is in this JVM: its header names the loops this JVM uses (native where the build put the library in
        // blip4j-core's jar and it loaded, Java with -Dblip4j.native.skip=true or elsewhere; HostUpdatesTest checks
        // that the build did)
        String loops = AdamW.updatesRunNatively() ? "native" : "java";
        assertTrue(r.out().lines().anyMatch(l -> l.endsWith(", parameter updates " + loops)), r.out());
    }

    @Test
    void missingModelIsOneClearLineAndNonZero() {
        var r = CliRunner.run("info", "--model", tmp.resolve("nothing-here").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("nothing-here"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace without --verbose");
    }
}
