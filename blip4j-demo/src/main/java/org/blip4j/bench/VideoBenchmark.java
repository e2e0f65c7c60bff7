package org.blip4j.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.blip4j.model.BlipConfig;
import org.blip4j.model.BlipModel;
import org.blip4j.model.ModelInitializer;
import org.blip4j.model.Part;
import org.blip4j.util.MemoryStats;
import org.blip4j.video.VideoFrames;
import org.jcodec.api.awt.AWTSequenceEncoder;

/**
 * Zero-shot video retrieval throughput on random weights, per video of {@code frames} frames: decoding (jcodec,
 * a generated 64-frame H.264 clip at the model's image size), the ITC pass (ViT on every frame + projection, mean,
 * normalise) and ITM re-ranking of one video against {@code texts} texts over the concatenated frame tokens.
 */
public final class VideoBenchmark {
    private VideoBenchmark() {
    }

    public static Map<String, Double> run(BlipConfig config, int frames, int texts, int runs, NDManager manager) {
        Map<String, Double> out = new LinkedHashMap<>();
        int s = config.vision().imageSize();
        Path clip = clip(s);
        try {
            double decode = Timing.medianSeconds(() -> VideoFrames.sample(clip, frames), 1, runs);
            out.put("decode_videos_per_s", 1 / decode);
        } finally {
            try {
                Files.deleteIfExists(clip);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        EnumSet<Part> parts = EnumSet.of(Part.VISION, Part.TEXT_ENCODER, Part.VISION_PROJ, Part.TEXT_PROJ,
                Part.ITM_HEAD);
        try (BlipModel model = ModelInitializer.create(config, parts, config.text().encoderHiddenSize(), manager, 1);
             NDManager m = manager.newSubManager()) {
            NDArray pixels = m.randomNormal(new Shape(frames, 3, s, s));
            double itc = Timing.medianSeconds(() -> {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    NDArray e = model.imageEmbeds(pixels, false);
                    Shape es = e.getShape();
                    model.videoFeatures(e.reshape(1, es.get(0), es.get(1), es.get(2))).toFloatArray();
                }
            }, 1, runs);
            out.put("itc_videos_per_s", 1 / itc);
            NDArray e = model.imageEmbeds(pixels, false);
            Shape es = e.getShape();
            NDArray tokens = BlipModel.videoTokens(e.reshape(1, es.get(0), es.get(1), es.get(2)));
            NDArray ids = m.randomInteger(1000, 2000, new Shape(texts, 35), DataType.INT64);
            NDArray mask = m.ones(new Shape(texts, 35), DataType.INT64);
            double itm = Timing.medianSeconds(() -> {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    model.itmLogits(ids, mask, tokens, false).toFloatArray();
                }
            }, 1, runs);
            out.put("itm_pairs_per_s_one_video_many_texts", texts / itm);
            out.put("itm_seconds_per_video_at_k_" + texts, itm);
        }
        out.put("peak_rss_mib", MemoryStats.peakRssMiB());
        return out;
    }

    private static Path clip(int size) {
        try {
            Path f = Files.createTempFile("blip4j-bench", ".mp4");
            AWTSequenceEncoder enc = AWTSequenceEncoder.createSequenceEncoder(f.toFile(), 25);
            Random rnd = new Random(1);
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
            for (int i = 0; i < 64; i++) {
                for (int y = 0; y < size; y += 16) {
                    for (int x = 0; x < size; x += 16) {
                        int c = rnd.nextInt(1 << 24);
                        for (int yy = y; yy < Math.min(size, y + 16); yy++) {
                            for (int xx = x; xx < Math.min(size, x + 16); xx++) {
                                img.setRGB(xx, yy, c);
                            }
                        }
                    }
                }
                enc.encodeImage(img);
            }
            enc.finish();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
