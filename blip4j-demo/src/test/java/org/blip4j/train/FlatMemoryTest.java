package org.blip4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipConfigJson;
import org.blip4j.model.TextConfig;
import org.blip4j.model.VisionConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long runs keep flat memory: RSS after 2000 tiny pre-training steps is within 10% of RSS at step 200. */
class FlatMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void rssStaysFlatOver2000Steps() throws Exception {
        TinyWorld w = new TinyWorld(tmp.resolve("world"), 200, 11);
        // an even smaller model than TinyWorld's: the point is the loop, not the model
        VisionConfig v = new VisionConfig(32, 64, 1, 2, 32, 16, 3, 1e-6, 0.0, 0.0, 0.1);
        TextConfig t = TextConfig.builder().vocabSize(1000).hiddenSize(32).intermediateSize(64).numHiddenLayers(1)
                .numAttentionHeads(2).maxPositionEmbeddings(40).encoderHiddenSize(32).bosTokenId(0).sepTokenId(0)
                .eosTokenId(0).initializerRange(0.1).build();
        BlipConfigJson.write(w.dir.resolve("micro.json"), new BlipConfig(t, v, 16, List.of()));
        TrainConfig cfg = w.config("pretrain", "train_file=[web.json]", "model_config=micro.json", "image_size=32",
                "batch_size_train=4", "queue_size=16", "max_steps=2000", "keep_last=1", "dropout=0.1");
        Trainer.Result r = TrainerTest.train(cfg, TrainingTask.PRETRAIN, tmp.resolve("run"), false, w.dir);
        List<JsonNode> rows = TrainerTest.metrics(r.runDir());
        assertEquals(2000, rows.size());
        double at200 = rows.get(199).get("rss_mib").asDouble();
        double at2000 = rows.get(1999).get("rss_mib").asDouble();
        assertTrue(at2000 <= 1.10 * at200, "RSS grew from " + at200 + " MiB at step 200 to " + at2000
                + " MiB at step 2000");
    }
}
