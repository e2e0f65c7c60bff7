package org.blip4j.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.blip4j.checkpoint.BlipCheckpointConverter;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;
import org.blip4j.testutil.Fixtures;
import org.blip4j.testutil.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public API from image files and raw strings to ITM/ITC numbers equals the official outputs on tiny-a, for
 * the HF directory, the original .pth, and the output of convert.
 */
class TinyAApiParityTest {
    static final String[] IMAGES = {"img0_blocks_64x64.png", "img1_gradient_64x64.png",
        "img2_nonsquare_150x110.png", "img3_gray_50x40.png"};

    @TempDir
    Path tmp;

    static List<RgbImage> images() {
        List<RgbImage> out = new ArrayList<>();
        for (String f : IMAGES) {
            out.add(ImageLoader.load(Fixtures.tinyA().resolve("images").resolve(f)));
        }
        return out;
    }

    static List<String> captions() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(Fixtures.tinyA().resolve("golden.json").toFile());
        List<String> out = new ArrayList<>();
        for (var c : json.path("captions")) {
            out.add(c.isTextual() ? c.asText() : c.path("text").asText());
        }
        assertEquals(5, out.size());
        return out;
    }

    void assertParity(String spec, ModelOptions options) throws Exception {
        Golden g = Golden.tinyA();
        try (Blip blip = Blip.load(spec, options)) {
            // the golden tokenisation: no pre_caption, padding longest, max_length 20
            Matcher matcher = new Matcher(blip, new TextOptions(false, 30, 20), 3);
            Matcher.PairScore[][] s = matcher.scoreAll(images(), captions());
            float[] prob = new float[20];
            float[] cos = new float[20];
            for (int i = 0; i < 4; i++) {
                for (int t = 0; t < 5; t++) {
                    prob[i * 5 + t] = (float) s[i][t].itmProbability();
                    cos[i * 5 + t] = (float) s[i][t].itcCosine();
                }
            }
            Golden.assertClose(spec + " itm_prob", g.floats("itm_prob"), prob, 1e-4);
            Golden.assertClose(spec + " itc_cosine", g.floats("itc_cosine"), cos, 1e-4);
            Matcher.PairScore[] paired = matcher.scorePairs(images(), captions().subList(0, 4));
            for (int i = 0; i < 4; i++) {
                assertEquals(s[i][i].itmLogit(), paired[i].itmLogit(), 1e-4);
                assertEquals(s[i][i].itcCosine(), paired[i].itcCosine(), 1e-5);
            }
            float[][] imgFeat = new Embedder(blip).embedImages(images());
            float[] flat = new float[4 * 32];
            for (int i = 0; i < 4; i++) {
                System.arraycopy(imgFeat[i], 0, flat, i * 32, 32);
            }
            Golden.assertClose(spec + " image_feat", g.floats("image_feat"), flat, 1e-4);
        }
    }

    @Test
    void hfDirectoryFromFilesMatchesGolden() throws Exception {
        assertParity(Fixtures.tinyAModel().toString(), ModelOptions.defaults());
    }

    @Test
    void originalPthMatchesGolden() throws Exception {
        // convert into a private cache so the test leaves nothing behind
        Path ckpt = Fixtures.tinyAModel().resolve("original.pth");
        Path out = tmp.resolve("converted");
        BlipCheckpointConverter.convert(new BlipCheckpointConverter.Options(ckpt, out,
                Fixtures.tinyAModel().resolve("med_config.json"), 4, null, Fixtures.tinyAModel(), null));
        assertParity(out.toString(), ModelOptions.defaults());
    }

    @Test
    void pthGivenDirectlyIsConvertedOnceAndMatches() throws Exception {
        Path copy = tmp.resolve("ckpt");
        Files.createDirectories(copy);
        for (String f : new String[] {"original.pth", "med_config.json", "vocab.txt", "tokenizer_config.json",
            "special_tokens_map.json"}) {
            Files.copy(Fixtures.tinyAModel().resolve(f), copy.resolve(f));
        }
        String old = System.getProperty("user.home");
        System.setProperty("user.home", tmp.resolve("home").toString());
        try {
            // tiny-a's ViT width 48 is not a multiple of 64, so its head count must be given, as on the CLI
            ModelOptions o = new ModelOptions("cpu", null, null, 4, null);
            String pth = copy.resolve("original.pth").toString();
            Path converted;
            try (Blip first = Blip.load(pth, o)) {
                converted = first.directory();
            }
            assertEquals("converted", converted.getParent().getFileName().toString());
            Map<Path, String> written = fileStamps(converted);
            assertParity(pth, o);
            try (Blip again = Blip.load(pth, o)) {
                assertEquals(converted, again.directory(), "the second load uses the first conversion");
            }
            try (var dirs = Files.list(converted.getParent())) {
                assertEquals(List.of(converted), dirs.toList(), "one conversion in the cache");
            }
            assertEquals(written, fileStamps(converted), "the converted files were not written again");
        } finally {
            System.setProperty("user.home", old);
        }
    }

    /** Every file of a directory with its modification time and file key (a rewrite changes one or both). */
    private static Map<Path, String> fileStamps(Path dir) throws IOException {
        Map<Path, String> stamps = new java.util.TreeMap<>();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                var a = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class);
                stamps.put(dir.relativize(f), a.lastModifiedTime().toMillis() + "/" + a.fileKey());
            }
        }
        assertTrue(stamps.containsKey(Path.of("model.safetensors")), stamps.toString());
        return stamps;
    }
}
