package org.blip4j.train.nlvr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.blip4j.engine.Engines;
import org.blip4j.task.ModelOptions;
import org.blip4j.task.Nlvr;
import org.blip4j.task.NlvrAnnotations;
import org.blip4j.task.NlvrEvaluator;
import org.blip4j.testutil.Fixtures;
import org.blip4j.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning a small fresh NLVR2 model on a synthetic two-image task: each image is red or blue (with noise),
 * the sentence says which colour the left or the right image has. Answering needs the right image branch
 * (self0 for "left", self1 for "right"), and the swap augmentation keeps labels true only because it exchanges the
 * words too. Held-out pairs must be answered well above the majority class (50%).
 */
class NlvrTrainerTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void learnsTheSyntheticTaskAndResumes() throws Exception {
        Path images = tmp.resolve("images");
        Files.createDirectories(images);
        Random rnd = new Random(7);
        String[] colours = {"red", "blue"};
        for (int c = 0; c < 2; c++) {
            for (int v = 0; v < 8; v++) {
                BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        int n = rnd.nextInt(60);
                        int strong = 170 + rnd.nextInt(80);
                        img.setRGB(x, y, c == 0 ? (strong << 16) | (n << 8) | n : (n << 16) | (n << 8) | strong);
                    }
                }
                ImageIO.write(img, "png", images.resolve(colours[c] + v + ".png").toFile());
            }
        }
        Files.writeString(tmp.resolve("train.json"), pairs(rnd, 320, 0, 6));
        Files.writeString(tmp.resolve("dev.json"), pairs(rnd, 96, 6, 8));
        Path tokenizer = Fixtures.tinyANlvr().resolve("model");
        String yaml = "task: nlvr\ntrain_file: [train.json]\nval_file: [dev.json]\nimage_root: images\n"
                + "model_config: " + Fixtures.resource("org/blip4j/train/nlvr/shapes-model.json") + "\ntokenizer: "
                + tokenizer + "\nnlvr_merge_layer_start: 1\nimage_size: 32\n"
                + "batch_size_train: 16\ninit_lr: 1.0e-3\nmin_lr: 1.0e-4\nmax_epoch: 4\nrandaugment: false\n"
                + "dropout: 0.0\ndrop_path_rate: 0.0\ninit_range: 0.125\nseed: 3\n";
        NlvrTrainConfig cfg = NlvrTrainConfig.of(TrainConfig.parse(yaml, "test config"), tmp);
        Path out = tmp.resolve("run");
        NlvrTrainer.Result r;
        // (printed for the record: the held-out accuracy after each epoch)
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            r = NlvrTrainer.run(cfg, out, m, new NlvrTrainer.Listener() {
            });
        }
        System.out.println("held-out accuracy per epoch: " + r.valAccuracy());
        double last = r.valAccuracy().get(r.valAccuracy().size() - 1);
        assertTrue(last >= 0.85, "held-out accuracy " + r.valAccuracy() + " should be well above the majority 0.5");

        // the written model is what `blip nlvr` loads, and it scores the held-out pairs the same
        try (Nlvr nlvr = Nlvr.load(out.resolve("model").toString(), ModelOptions.defaults())) {
            NlvrEvaluator.Result again = NlvrEvaluator.evaluate(nlvr,
                    NlvrAnnotations.read(tmp.resolve("dev.json"), tmp.resolve("images")), 32, true, null);
            assertEquals(last, again.accuracy(), 1e-12);
        }
        // a rerun with the same output resumes after the last finished epoch: nothing left to do
        try (NDManager m = Engines.newManager(Engines.device("cpu"))) {
            assertEquals(0, NlvrTrainer.run(cfg, out, m, new NlvrTrainer.Listener() {
            }).epochs());
        }
    }

    /** Pairs of image variants [from, to) with a true or false statement about one side. */
    static String pairs(Random rnd, int n, int from, int to) {
        String[] colours = {"red", "blue"};
        ArrayNode arr = JSON.createArrayNode();
        for (int i = 0; i < n; i++) {
            int c0 = rnd.nextInt(2);
            int c1 = rnd.nextInt(2);
            boolean left = rnd.nextBoolean();
            boolean truth = rnd.nextBoolean();
            int actual = left ? c0 : c1;
            String said = colours[truth ? actual : 1 - actual];
            var o = arr.addObject();
            o.putArray("images").add(colours[c0] + (from + rnd.nextInt(to - from)) + ".png")
                    .add(colours[c1] + (from + rnd.nextInt(to - from)) + ".png");
            o.put("sentence", "The " + (left ? "left" : "right") + " image is " + said + ".");
            o.put("label", truth ? "True" : "False");
        }
        return arr.toString();
    }
}
