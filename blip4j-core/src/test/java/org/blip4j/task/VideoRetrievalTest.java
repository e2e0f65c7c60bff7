package org.blip4j.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.eval.RetrievalMetrics;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;
import org.blip4j.model.BlipModel;
import org.blip4j.testutil.Fixtures;
import org.blip4j.testutil.Golden;
import org.blip4j.task.retrieval.RetrievalEvaluator;
import org.blip4j.task.retrieval.VideoRetrievalEvaluator;
import org.blip4j.video.VideoFrames;
import org.jcodec.api.awt.AWTSequenceEncoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The video path, built from frames whose image results are checked against tiny-a's goldens: a video's ITC
 * feature is the L2-normalised mean of its frames' projected [CLS] features, its ITM cross-attends to the frames'
 * tokens concatenated; and retrieval runs end to end over generated MP4 clips, a frames directory and a broken file.
 */
class VideoRetrievalTest {
    static final double TOL = 1e-4;
    static final String[] IMAGES = TinyAApiParityTest.IMAGES;
    static Blip blip;
    static Golden golden;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void load() throws Exception {
        blip = Blip.load(Fixtures.tinyAModel().toString());
        golden = Golden.tinyA();
    }

    @AfterAll
    static void close() {
        blip.close();
    }

    /** tiny-a's four images as the frames (00.png … 03.png) of one video. */
    static Path framesDir() throws Exception {
        Path dir = tmp.resolve("frames-video");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            for (int i = 0; i < IMAGES.length; i++) {
                Files.copy(Fixtures.tinyA().resolve("images").resolve(IMAGES[i]), dir.resolve("0" + i + ".png"));
            }
        }
        return dir;
    }

    @Test
    void videoItcIsTheNormalisedMeanOfProjectedFrameClsFeatures() throws Exception {
        List<RgbImage> frames = VideoFrames.sample(framesDir(), 4);
        try (NDManager m = blip.manager().newSubManager()) {
            Golden.assertClose("frame pixels", golden.get("pixel_values", m), blip.pixels(frames, m), 1e-6);
            NDArray fe = blip.frameEmbeds(frames, m);
            Golden.assertClose("frame embeds", golden.get("image_embeds", m), fe.get(0), TOL);
            float[] got = blip.model().videoFeatures(fe).toFloatArray();

            // by hand from the golden frame embeddings and the projection's weights
            float[] emb = golden.floats("image_embeds");
            float[] w = blip.model().visionProj().weight().array().toFloatArray();
            float[] b = blip.model().visionProj().bias().array().toFloatArray();
            int d = 48;
            int e = b.length;
            int tokens = 17;
            double[] mean = new double[e];
            for (int f = 0; f < 4; f++) {
                for (int o = 0; o < e; o++) {
                    double s = b[o];
                    for (int i = 0; i < d; i++) {
                        s += (double) w[o * d + i] * emb[f * tokens * d + i];
                    }
                    mean[o] += s / 4;
                }
            }
            double norm = 0;
            for (double v : mean) {
                norm += v * v;
            }
            float[] expected = new float[e];
            for (int o = 0; o < e; o++) {
                expected[o] = (float) (mean[o] / Math.sqrt(norm));
            }
            Golden.assertClose("video ITC feature", expected, got, TOL);
        }
    }

    @Test
    void videoItmCrossAttendsToTheConcatenatedFrameTokens() throws Exception {
        List<RgbImage> frames = VideoFrames.sample(framesDir(), 4);
        try (NDManager m = blip.manager().newSubManager()) {
            NDArray ids = golden.get("itm_input_ids", m);
            NDArray mask = golden.get("caption_attention_mask", m);
            NDArray embeds = golden.get("image_embeds", m);
            NDList rows = new NDList();
            for (int f = 0; f < 4; f++) {
                rows.add(embeds.get(new NDIndex("{}:{}", f, f + 1)));
            }
            NDArray handBuilt = NDArrays.concat(rows, 1);
            assertEquals(new ai.djl.ndarray.types.Shape(1, 68, 48), handBuilt.getShape());
            NDArray expected = blip.model().itmLogits(ids, mask, handBuilt, false);
            NDArray got = blip.model().itmLogits(ids, mask, blip.videoTokens(frames, m), false);
            Golden.assertClose("video ITM logits", expected, got, TOL);
            // and it is not one frame's ITM
            NDArray single = blip.model().itmLogits(ids, mask, embeds.get(new NDIndex("0:1")), false);
            assertTrue(single.sub(got).abs().max().getFloat() > 1e-3);
        }
    }

    @Test
    void retrievalRunsOverMp4ClipsAFramesDirectoryAndSkipsABrokenVideo() throws Exception {
        Path videos = tmp.resolve("videos");
        Files.createDirectories(videos);
        List<RgbImage> sources = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            RgbImage src = blip.preprocessor().resize(ImageLoader.load(Fixtures.tinyA().resolve("images")
                    .resolve(IMAGES[k])));
            sources.add(src);
            AWTSequenceEncoder enc = AWTSequenceEncoder.createSequenceEncoder(videos.resolve("clip" + k + ".mp4")
                    .toFile(), 8);
            for (int f = 0; f < 12; f++) {
                enc.encodeImage(toBuffered(src));
            }
            enc.finish();
        }
        Path frames = videos.resolve("clip3");
        Files.createDirectories(frames);
        for (int f = 0; f < 5; f++) {
            Files.copy(Fixtures.tinyA().resolve("images").resolve(IMAGES[3]), frames.resolve("f" + f + ".png"));
        }
        Files.write(videos.resolve("broken.mp4"), new byte[] {0, 0, 0, 24, 'f', 't', 'y', 'p', 1, 2, 3});

        // the decoder gives back what was encoded (H.264 is lossy)
        List<RgbImage> decoded = VideoFrames.sample(videos.resolve("clip0.mp4"), 8);
        assertEquals(8, decoded.size());
        double diff = meanAbsDiff(sources.get(0), decoded.get(7));
        // jcodec's baseline encoder is coarse at its default quality: about 8 levels of 255 on these blocks; a
        // wrong colour order or frame would be off by far more
        assertTrue(diff < 16, "decoded frame differs from the source: mean |diff| " + diff);

        Path ann = tmp.resolve("videos.jsonl");
        Files.writeString(ann, String.join("\n",
                "{\"clip_name\": \"clip0\", \"caption\": \"coloured blocks\"}",
                "{\"clip_name\": \"clip1\", \"caption\": \"a smooth gradient\"}",
                "{\"clip_name\": \"clip2\", \"caption\": \"a wide picture\"}",
                "{\"clip_name\": \"broken\", \"caption\": \"nothing\"}",
                "{\"clip_name\": \"clip3\", \"caption\": \"a grey picture\"}"));
        VideoSplit split = VideoSplit.read(ann, videos);
        VideoRetrievalEvaluator.Result r = new VideoRetrievalEvaluator(blip, 8, 3, 4, 4, 1L << 20)
                .evaluate(split, RetrievalEvaluator.Progress.NONE);
        assertEquals(4, r.videos());
        assertEquals(4, r.texts());
        assertEquals(1, r.skipped().size());
        assertTrue(r.skipped().get(0).contains("broken.mp4"), r.skipped().get(0));
        RetrievalMetrics mt = r.metrics();
        assertTrue(mt.txtR10() == 100 && mt.imgR10() == 100, "4 videos: everything is in the top 10");
        assertTrue(mt.txtR1() >= 0 && mt.txtR1() <= 100 && mt.rMean() >= 0 && mt.rMean() <= 100);

        // the ITC similarities are the video features against the text features
        try (NDManager m = blip.manager().newSubManager()) {
            NDArray feat = blip.model().videoFeatures(blip.frameEmbeds(VideoFrames.sample(frames, 8), m));
            var tok = blip.tokenizer().encode(List.of(VideoSplit.TEXT.prepare("a grey picture")), 35,
                    org.blip4j.text.Padding.LONGEST, true);
            NDArray text = blip.model().textFeatures(m.create(tok.flatIds(), new ai.djl.ndarray.types.Shape(
                    tok.shape())), m.create(tok.flatAttentionMask(), new ai.djl.ndarray.types.Shape(tok.shape())),
                    false);
            assertEquals(feat.matMul(text.transpose()).getFloat(0, 0), r.sims()[3][3], 1e-5);
        }
    }

    static BufferedImage toBuffered(RgbImage img) {
        BufferedImage out = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] d = img.data();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int o = (y * img.width() + x) * 3;
                out.setRGB(x, y, ((d[o] & 0xff) << 16) | ((d[o + 1] & 0xff) << 8) | (d[o + 2] & 0xff));
            }
        }
        return out;
    }

    static double meanAbsDiff(RgbImage a, RgbImage b) {
        byte[] x = a.data();
        byte[] y = b.data();
        assertEquals(x.length, y.length);
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += Math.abs((x[i] & 0xff) - (y[i] & 0xff));
        }
        return s / x.length;
    }
}
