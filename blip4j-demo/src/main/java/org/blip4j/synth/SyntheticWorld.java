package org.blip4j.synth;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A procedurally generated image-text world for measuring CapFilt (paper §3.3; docs/CAPFILT.md): captions are known,
 * and a controlled fraction of the web texts is corrupted. Writes, under {@code out}:
 * <ul>
 *   <li>{@code images/{web,human,test}_NNNNN.png}</li>
 *   <li>{@code human.json} (clean, several captions), {@code web.json} (one text each, some corrupted),
 *       {@code web_noise.json} (label per web index), {@code web_meta.json} (truth and corruption per text)</li>
 *   <li>{@code test.json} (Karpathy-like, 5 references, image_id = file number), {@code test_gt.json} (COCO)</li>
 *   <li>{@code vqa_train.json} (web and human images), {@code vqa_test.json} (BLIP formats) with
 *       {@code vqa_test_questions.json} / {@code vqa_test_annotations.json} (VQA v2 formats)</li>
 *   <li>{@code images/vision_NNNNN.png} with {@code vision_labels.json} when a vision split is asked for: labelled
 *       images for pre-training the image encoder (objects' shapes, colours, sizes at their centres)</li>
 *   <li>{@code scenes.json} (structured scene per image), and last {@code world.json} (options, counts, vocabulary)</li>
 * </ul>
 * Same options, same bytes: all randomness comes from {@link SplittableRandom}s split off the seed in a fixed order.
 * Files are written atomically; an interrupted run is simply run again (world.json appears only when done).
 */
public final class SyntheticWorld {
    public static final String FORMAT = "blip4j-synth-1";
    static final String IMAGES = "images";
    /** Labels of the optional vision split (image-encoder pre-training, the role ImageNet plays for BLIP). */
    public static final String VISION_LABELS = "vision_labels.json";
    /** VQA questions per image, each of a different type. */
    static final int QUESTIONS_PER_IMAGE = 3;

    private SyntheticWorld() {
    }

    public static SynthResult generate(SynthOptions o) throws IOException {
        long t0 = System.nanoTime();
        Path out = o.out();
        Files.createDirectories(out.resolve(IMAGES));
        // One independent stream per concern, split in a fixed order: changing e.g. --noise keeps every scene.
        SplittableRandom root = new SplittableRandom(o.seed());
        SplittableRandom webScenes = root.split();
        SplittableRandom webNoise = root.split();
        SplittableRandom humanRng = root.split();
        SplittableRandom testRng = root.split();
        SplittableRandom vqaRng = root.split(); // split after the captions: adding VQA left them unchanged
        SplittableRandom visionRng = root.split(); // and the vision split after VQA

        WebSplit web = WebSplit.build(o.size(), o.noise(), webScenes, webNoise);
        List<String> webImages = names("web", web.size());
        List<Scene> humanScenes = scenes(humanRng, o.humanCount());
        List<List<String>> humanCaps = captions(humanScenes, o.humanCaptions(), humanRng);
        List<String> humanImages = names("human", humanScenes.size());
        List<Scene> testScenes = scenes(testRng, o.testCount());
        List<List<String>> testCaps = captions(testScenes, SynthOptions.TEST_REFERENCES, testRng);
        List<String> testImages = names("test", testScenes.size());
        List<Integer> testIds = new ArrayList<>();
        for (int i = 1; i <= testScenes.size(); i++) {
            testIds.add(i); // equals the file name's trailing number, which Karpathy readers take as the id
        }

        List<ImageFiles.Job> jobs = new ArrayList<>();
        addJobs(jobs, webImages, web.scenes());
        addJobs(jobs, humanImages, humanScenes);
        addJobs(jobs, testImages, testScenes);
        List<Scene> visionScenes = scenes(visionRng, o.visionSize());
        List<String> visionImages = names("vision", visionScenes.size());
        addJobs(jobs, visionImages, visionScenes);
        ImageFiles.renderAll(out, jobs, o.imageSize(), o.threads());

        List<List<String>> webTexts = new ArrayList<>();
        web.texts().forEach(t -> webTexts.add(List.of(t)));
        DatasetJson.writeCompact(out.resolve("web.json"), DatasetJson.captionList(webImages, webTexts, true, null));
        DatasetJson.writeCompact(out.resolve("web_noise.json"), DatasetJson.noiseLabels(web.kinds()));
        DatasetJson.writeCompact(out.resolve("web_meta.json"), DatasetJson.webMeta(webImages, web));
        DatasetJson.writeCompact(out.resolve("human.json"),
                DatasetJson.captionList(humanImages, humanCaps, false, null));
        DatasetJson.writeCompact(out.resolve("test.json"), DatasetJson.captionList(testImages, testCaps, false, testIds));
        DatasetJson.writeCompact(out.resolve("test_gt.json"), DatasetJson.cocoCaptions(testImages, testCaps, testIds));
        ArrayNode scenes = DatasetJson.scenes(webImages, web.scenes());
        scenes.addAll(DatasetJson.scenes(humanImages, humanScenes));
        scenes.addAll(DatasetJson.scenes(testImages, testScenes));
        DatasetJson.writeCompact(out.resolve("scenes.json"), scenes);

        // VQA companion: trained on the web and human images (their scenes are exact whatever the web texts say).
        List<List<VqaQuestions.Qa>> vqaTrain = questions(web.scenes(), vqaRng);
        vqaTrain.addAll(questions(humanScenes, vqaRng));
        List<String> trainImages = new ArrayList<>(webImages);
        trainImages.addAll(humanImages);
        List<List<VqaQuestions.Qa>> vqaTest = questions(testScenes, vqaRng);
        DatasetJson.writeCompact(out.resolve("vqa_train.json"), DatasetJson.vqaTrain(trainImages, vqaTrain));
        DatasetJson.writeCompact(out.resolve("vqa_test.json"), DatasetJson.vqaTest(testImages, testIds, vqaTest));
        DatasetJson.writeCompact(out.resolve("vqa_test_questions.json"), DatasetJson.vqaQuestions(testIds, vqaTest));
        DatasetJson.writeCompact(out.resolve("vqa_test_annotations.json"),
                DatasetJson.vqaAnnotations(testIds, vqaTest));

        if (!visionScenes.isEmpty()) {
            DatasetJson.writeCompact(out.resolve(VISION_LABELS),
                    DatasetJson.visionLabels(visionImages, visionScenes));
        }

        Map<NoiseKind, Integer> counts = new EnumMap<>(NoiseKind.class);
        for (NoiseKind k : NoiseKind.values()) {
            counts.put(k, 0);
        }
        web.kinds().forEach(k -> counts.merge(k, 1, Integer::sum));
        DatasetJson.writePretty(out.resolve("world.json"), world(o, web.size(), humanScenes.size(),
                testScenes.size(), counts));
        return new SynthResult(out, web.size(), humanScenes.size(), testScenes.size(), counts,
                Vocabulary.captionWords().size(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Image paths relative to the output directory: {@code images/web_00001.png}, numbered from 1. */
    static List<String> names(String split, int n) {
        int digits = Math.max(5, Integer.toString(n).length());
        List<String> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            out.add(String.format("%s/%s_%0" + digits + "d.png", IMAGES, split, i));
        }
        return out;
    }

    private static List<Scene> scenes(SplittableRandom rng, int n) {
        List<Scene> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(SceneSampler.sample(rng));
        }
        return out;
    }

    private static List<List<String>> captions(List<Scene> scenes, int k, SplittableRandom rng) {
        List<List<String>> out = new ArrayList<>(scenes.size());
        for (Scene s : scenes) {
            out.add(CaptionTemplates.sample(s, k, rng));
        }
        return out;
    }

    private static List<List<VqaQuestions.Qa>> questions(List<Scene> scenes, SplittableRandom rng) {
        List<List<VqaQuestions.Qa>> out = new ArrayList<>(scenes.size());
        for (Scene s : scenes) {
            out.add(VqaQuestions.ask(s, QUESTIONS_PER_IMAGE, rng));
        }
        return out;
    }

    private static void addJobs(List<ImageFiles.Job> jobs, List<String> names, List<Scene> scenes) {
        for (int i = 0; i < names.size(); i++) {
            jobs.add(new ImageFiles.Job(names.get(i), scenes.get(i)));
        }
    }

    /** Options and counts, but no timing: the file must be identical for identical options. */
    private static ObjectNode world(SynthOptions o, int web, int human, int test, Map<NoiseKind, Integer> counts) {
        ObjectNode w = DatasetJson.object();
        w.put("format", FORMAT);
        w.put("seed", o.seed());
        w.put("size", o.size());
        w.put("noise", o.noise());
        w.put("image_size", o.imageSize());
        w.put("human_captions", o.humanCaptions());
        w.put("test_references", SynthOptions.TEST_REFERENCES);
        w.put("vqa_questions_per_image", QUESTIONS_PER_IMAGE);
        ObjectNode c = w.putObject("counts");
        c.put("web", web);
        c.put("human", human);
        c.put("test", test);
        if (o.visionSize() > 0) {
            c.put("vision", o.visionSize());
        }
        ObjectNode noise = c.putObject("web_noise");
        counts.forEach((k, v) -> noise.put(k.label(), v));
        ArrayNode files = w.putArray("files");
        for (String f : List.of("web.json", "web_noise.json", "web_meta.json", "human.json", "test.json",
                "test_gt.json", "scenes.json", "vqa_train.json", "vqa_test.json", "vqa_test_questions.json",
                "vqa_test_annotations.json")) {
            files.add(f);
        }
        if (o.visionSize() > 0) {
            files.add(VISION_LABELS);
        }
        ArrayNode vocab = w.putArray("vocabulary");
        Vocabulary.captionWords().forEach(vocab::add);
        return w;
    }
}
