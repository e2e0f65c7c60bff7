package org.blip4j.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipConfigJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shapes model size (formerly a core preset) and its config file round trip. */
class ShapesModelTest {
    @TempDir
    Path tmp;

    @Test
    void hasTheDemoSizesAndRoundTripsThroughConfigJson() throws Exception {
        BlipConfig c = ShapesModel.config(48, 500);
        assertEquals(64, c.vision().hiddenSize());
        assertEquals(2, c.vision().numHiddenLayers());
        assertEquals(8, c.vision().patchSize());
        assertEquals(48, c.vision().imageSize());
        assertEquals(1e-6, c.vision().layerNormEps());
        assertEquals(0.125, c.vision().initializerRange());
        assertEquals(64, c.text().hiddenSize());
        assertEquals(4, c.text().numAttentionHeads());
        assertEquals(40, c.text().maxPositionEmbeddings());
        assertEquals(500, c.text().vocabSize());
        assertEquals(498, c.text().bosTokenId(), "[DEC] is the second-last id");
        assertEquals(0.125, c.text().initializerRange());
        assertEquals(64, c.imageTextHiddenSize());
        assertEquals(c, BlipConfigJson.read(ShapesModel.write(tmp.resolve("c.json"), 48, 500)));
    }
}
