package org.blip4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.checkpoint.BlipCheckpointConverter;
import org.blip4j.engine.Engines;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.ImagePreprocessor;
import org.blip4j.image.RgbImage;
import org.blip4j.nn.Parameter;
import org.blip4j.task.ModelOptions;
import org.blip4j.task.Nlvr;
import org.blip4j.testutil.Fixtures;
import org.blip4j.testutil.Golden;
import org.blip4j.text.TokenBatch;
import org.blip4j.train.nlvr.NlvrLoss;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parity with the official {@code BLIP_NLVR} on tiny-a-nlvr (see that fixture's README): pixels, both images'
 * ViT states, every text layer, the cross-attention blocks, logits, predictions, the training loss and gradients,
 * the swapped and the 40-word examples, through the HF directory and through {@code convert} of original.pth.
 * Tolerances: the README's (1e-4 for states and logits, 1e-5 for losses, gradients 1e-4 relative / 1e-5 abs).
 */
class TinyANlvrParityTest {
    static final double TOL = 1e-4;
    static final double LOSS_TOL = 1e-5;
    static Golden golden;
    static JsonNode json;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void read() throws Exception {
        Engines.engine(); // start the engine before a test points user.home elsewhere (DJL's native cache is there)
        golden = new Golden(Fixtures.tinyANlvr().resolve("golden.safetensors"));
        json = new ObjectMapper().readTree(Fixtures.tinyANlvr().resolve("golden.json").toFile());
    }

    static Path modelDir() {
        return Fixtures.tinyANlvr().resolve("model");
    }

    @Test
    void hfDirectoryMatchesEveryGolden() throws Exception {
        try (Nlvr nlvr = Nlvr.load(modelDir().toString(), ModelOptions.defaults())) {
            assertEquals(2, nlvr.config().mergeLayerStart());
            assertEquals(276722, nlvr.model().parameters().count(""));
            assertGoldens(nlvr);
        }
    }

    @Test
    void convertedOriginalPthMatchesEveryGolden() throws Exception {
        Path out = tmp.resolve("converted");
        // tiny ViT width 48 is not a multiple of 64: its head count is given, as on the CLI
        var result = BlipCheckpointConverter.convert(new BlipCheckpointConverter.Options(
                modelDir().resolve("original.pth"), out, modelDir().resolve("med_config.json"), 4, null, modelDir(),
                null));
        assertEquals("BlipForNlvr", result.config().path("architectures").get(0).asText());
        assertEquals(2, result.config().path("text_config").path("nlvr_merge_layer_start").asInt());
        try (Nlvr nlvr = Nlvr.load(out.toString(), ModelOptions.defaults())) {
            assertGoldens(nlvr);
        }
    }

    @Test
    void originalPthGivenDirectlyMatchesTheGoldenLogits() throws Exception {
        Path copy = tmp.resolve("ckpt");
        Files.createDirectories(copy);
        for (String f : new String[] {"original.pth", "med_config.json", "vocab.txt", "tokenizer_config.json",
            "special_tokens_map.json"}) {
            Files.copy(modelDir().resolve(f), copy.resolve(f));
        }
        String old = System.getProperty("user.home");
        System.setProperty("user.home", tmp.resolve("home").toString());
        try (Nlvr nlvr = Nlvr.load(copy.resolve("original.pth").toString(), new ModelOptions("cpu", null, null, 4,
                null))) {
            assertEquals("converted", nlvr.directory().getParent().getFileName().toString());
            List<Nlvr.Example> examples = new ArrayList<>();
            for (JsonNode e : json.path("examples")) {
                examples.add(new Nlvr.Example(image(e.path("image0").asText()), image(e.path("image1").asText()),
                        e.path("sentence_raw").asText()));
            }
            List<Nlvr.Prediction> predictions = nlvr.predict(examples, true);
            float[] goldenLogits = golden.floats("logits");
            for (int i = 0; i < predictions.size(); i++) {
                Golden.assertClose("logits " + i, new float[] {goldenLogits[2 * i], goldenLogits[2 * i + 1]},
                        new float[] {(float) predictions.get(i).logitFalse(), (float) predictions.get(i).logitTrue()},
                        TOL);
                assertEquals(golden.longs("predictions")[i] == 1, predictions.get(i).prediction());
            }
        } finally {
            System.setProperty("user.home", old);
        }
    }

    static RgbImage image(String name) {
        return ImageLoader.load(Fixtures.tinyANlvr().resolve("images").resolve(name));
    }

    @Test
    void mergeLayersComeFromTheWeightsWhenTheConfigIsSilent() throws Exception {
        Path dir = tmp.resolve("silent");
        Files.createDirectories(dir);
        for (String f : new String[] {"model.safetensors", "vocab.txt", "tokenizer_config.json",
            "special_tokens_map.json", "preprocessor_config.json"}) {
            Files.copy(modelDir().resolve(f), dir.resolve(f));
        }
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper()
                .readTree(modelDir().resolve("config.json").toFile());
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("text_config")).remove("nlvr_merge_layer_start");
        Files.writeString(dir.resolve("config.json"), root.toString());
        try (Nlvr nlvr = Nlvr.load(dir.toString(), ModelOptions.defaults())) {
            assertEquals(2, nlvr.config().mergeLayerStart());
        }
    }

    static void assertGoldens(Nlvr nlvr) throws Exception {
        NlvrModel model = nlvr.model();
        List<RgbImage> files = new ArrayList<>();
        for (JsonNode img : json.path("images")) {
            files.add(ImageLoader.load(Fixtures.tinyANlvr().resolve(img.path("file").asText())));
        }
        try (NDManager m = model.manager().newSubManager()) {
            NDArray pixels = nlvr.pixels(files, m);
            Golden.assertClose("pixel_values", golden.get("pixel_values", m), pixels, 1e-6);

            // the batch of four examples, from the raw sentences through the API's tokenisation
            List<String> raw = new ArrayList<>();
            json.path("examples").forEach(e -> raw.add(e.path("sentence_raw").asText()));
            TokenBatch tokens = nlvr.tokenize(raw, true);
            NDArray ids = ids(tokens, m);
            NDArray mask = m.create(tokens.flatAttentionMask(), new Shape(tokens.shape()));
            assertArrayEquals(golden.longs("input_ids"), tokens.flatIds(), "input_ids");
            assertArrayEquals(golden.longs("attention_mask"), tokens.flatAttentionMask(), "attention_mask");

            NDArray p0 = pixels.get(golden.get("example_image0_index", m));
            NDArray p1 = pixels.get(golden.get("example_image1_index", m));
            NDArray embeds = model.imageEmbeds(p0.concat(p1, 0), false);
            NDArray e0 = embeds.get(new NDIndex("0:4"));
            NDArray e1 = embeds.get(new NDIndex("4:"));
            Golden.assertClose("image0_embeds", golden.get("image0_embeds", m), e0, TOL);
            Golden.assertClose("image1_embeds", golden.get("image1_embeds", m), e1, TOL);

            NlvrTextEncoder.States states = model.textEncoder().forwardWithStates(ids, mask, e0, e1);
            NDArray hiddenGolden = golden.get("text_hidden_states", m);
            NDArray crossGolden = golden.get("crossattn_outputs", m);
            for (int i = 0; i < states.hidden().size(); i++) {
                Golden.assertClose("text_hidden_states[" + i + "]", hiddenGolden.get(i), states.hidden().get(i), TOL);
            }
            for (int i = 0; i < states.crossAttention().size(); i++) {
                Golden.assertClose("crossattn_outputs[" + i + "]", crossGolden.get(i), states.crossAttention().get(i),
                        TOL);
            }
            Golden.assertClose("text_last_hidden", golden.get("text_last_hidden", m),
                    model.textEncoder().forward(ids, mask, e0, e1, false), TOL);
            NDArray cls = states.last().get(":, 0, :");
            Golden.assertClose("cls_hidden", golden.get("cls_hidden", m), cls, TOL);

            NDArray logits = model.logits(ids, mask, p0, p1, false);
            Golden.assertClose("logits", golden.get("logits", m), logits, TOL);
            Golden.assertClose("probs", golden.get("probs", m), logits.softmax(-1), LOSS_TOL);
            assertArrayEquals(golden.longs("predictions"), logits.argMax(1).toLongArray(), "predictions");

            // the public API from decoded images and raw sentences
            List<Nlvr.Example> examples = new ArrayList<>();
            for (JsonNode e : json.path("examples")) {
                examples.add(new Nlvr.Example(file(files, e.path("image0").asText()),
                        file(files, e.path("image1").asText()), e.path("sentence_raw").asText()));
            }
            List<Nlvr.Prediction> predictions = nlvr.predict(examples, true);
            float[] goldenLogits = golden.floats("logits");
            long[] goldenPred = golden.longs("predictions");
            for (int i = 0; i < predictions.size(); i++) {
                Nlvr.Prediction p = predictions.get(i);
                Golden.assertClose("api logits " + i, new float[] {goldenLogits[2 * i], goldenLogits[2 * i + 1]},
                        new float[] {(float) p.logitFalse(), (float) p.logitTrue()}, TOL);
                assertEquals(goldenPred[i] == 1, p.prediction(), "api prediction " + i);
            }

            // the dataset's swapped form: images exchanged, left/right exchanged
            List<String> swapped = new ArrayList<>();
            json.path("swap_examples").forEach(e -> swapped.add(e.path("sentence").asText()));
            TokenBatch swapTokens = nlvr.tokenize(swapped, true);
            assertArrayEquals(golden.longs("swap_input_ids"), swapTokens.flatIds(), "swap_input_ids");
            Golden.assertClose("swap_logits", golden.get("swap_logits", m),
                    model.logits(ids(swapTokens, m), m.create(swapTokens.flatAttentionMask(),
                            new Shape(swapTokens.shape())), p1, p0, false), TOL);

            // the long sentence, cut to 40 words by pre_caption
            JsonNode longEx = json.path("long_example");
            TokenBatch longTokens = nlvr.tokenize(List.of(longEx.path("sentence_raw").asText()), true);
            assertArrayEquals(golden.longs("long_input_ids"), longTokens.flatIds(), "long_input_ids");
            NDArray lp0 = nlvr.pixels(List.of(file(files, longEx.path("image0").asText())), m);
            NDArray lp1 = nlvr.pixels(List.of(file(files, longEx.path("image1").asText())), m);
            NDArray longLogits = model.logits(ids(longTokens, m), m.ones(new Shape(longTokens.shape())), lp0, lp1,
                    false);
            Golden.assertClose("long_logits", golden.get("long_logits", m), longLogits, TOL);
            Golden.assertClose("long_train_loss", golden.get("long_train_loss", m),
                    NlvrLoss.crossEntropy(longLogits, m.create(new long[] {longEx.path("target").asLong()})),
                    LOSS_TOL);

            trainingLossAndGradients(model, ids, mask, p0, p1, golden.get("targets", m), m);
        }
    }

    static void trainingLossAndGradients(NlvrModel model, NDArray ids, NDArray mask, NDArray p0, NDArray p1,
            NDArray targets, NDManager m) {
        JsonNode grads = json.path("train").path("gradients");
        List<Parameter> params = new ArrayList<>();
        grads.fields().forEachRemaining(e -> {
            Parameter p = model.parameters().get(org.blip4j.checkpoint.OriginalCheckpointRenamer.toHf(
                    e.getValue().asText()));
            p.array().setRequiresGradient(true);
            params.add(p);
        });
        try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
            // the fixture's loss is taken in eval mode (its ViT has drop_path_rate 0.1, off in eval)
            NDArray loss = NlvrLoss.crossEntropy(model.logits(ids, mask, p0, p1, false), targets);
            Golden.assertClose("train_loss", golden.get("train_loss", m), loss, LOSS_TOL);
            gc.backward(loss);
        }
        var it = grads.fields();
        int i = 0;
        while (it.hasNext()) {
            String name = it.next().getKey();
            NDArray expected = golden.get(name, m);
            NDArray grad = params.get(i++).array().getGradient();
            assertGradient(name, expected.toFloatArray(), grad.toFloatArray());
            grad.close();
        }
        params.forEach(p -> p.array().setRequiresGradient(false));
    }

    /** rtol 1e-4, atol 1e-5 (the fixture README's gradient tolerance). */
    static void assertGradient(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-5 + 1e-4 * Math.abs(expected[i]);
            if (Math.abs(expected[i] - actual[i]) > tol) {
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + " got " + actual[i]);
            }
        }
    }

    static NDArray ids(TokenBatch t, NDManager m) {
        return m.create(t.flatIds(), new Shape(t.shape()));
    }

    static RgbImage file(List<RgbImage> files, String name) {
        int i = 0;
        for (JsonNode img : json.path("images")) {
            if (img.path("file").asText().endsWith("/" + name)) {
                return files.get(i);
            }
            i++;
        }
        throw new IllegalArgumentException("no image " + name);
    }
}
