package org.blip4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.blip4j.image.ImagePreprocessor;
import org.blip4j.image.TrainTransform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every sample's pixels in a batch are its own image's, in CHW order, whatever the worker count. */
class DataLoaderAlignmentTest {
    @TempDir
    Path dir;

    @Test
    void eachBatchRowHoldsThePixelsOfItsOwnImage() {
        int n = 24;
        List<Sample> samples = new ArrayList<>();
        Map<String, float[]> expected = new HashMap<>();
        ImagePreprocessor pre = ImagePreprocessor.blipDefaults(16);
        for (int i = 0; i < n; i++) {
            Path file = TestImages.write(dir.resolve("img" + i + ".png"), TestImages.encode("png", 16, 16, i));
            samples.add(new Sample("k" + i, new ImageSource.File(file), List.of("caption " + i), i, i));
            expected.put("caption " + i, pre.toPixels(file));
        }
        SampleTransform plain = SampleTransform.train(new TrainTransform(16, 1.0, false, false));
        try (DataLoader l = DataLoader.builder(samples, plain).batchSize(8).seed(7).shuffle(true).dropLast(true)
                .workers(3).prefetchBatches(2).build()) {
            int seen = 0;
            for (Batch b : l.epoch(0)) {
                int per = b.floatsPerSample();
                for (int r = 0; r < b.size(); r++) {
                    float[] row = Arrays.copyOfRange(b.pixels(), r * per, (r + 1) * per);
                    assertArrayEquals(expected.get(b.captions().get(r)), row, 1e-6f, "row " + r + " of batch "
                            + b.index());
                    seen++;
                }
            }
            assertEquals(n, seen);
        }
    }
}
