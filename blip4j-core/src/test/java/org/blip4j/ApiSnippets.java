package org.blip4j;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.blip4j.capfilt.CapfiltConfig;
import org.blip4j.capfilt.CapfiltModels;
import org.blip4j.capfilt.CapfiltOptions;
import org.blip4j.capfilt.CapfiltPipeline;
import org.blip4j.capfilt.CapfiltReport;
import org.blip4j.engine.Engines;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;
import org.blip4j.task.Blip;
import org.blip4j.task.Caption;
import org.blip4j.task.Captioner;
import org.blip4j.task.Embedder;
import org.blip4j.task.Matcher;
import org.blip4j.task.retrieval.RetrievalEvaluator;
import org.blip4j.task.retrieval.RetrievalEvaluatorResult;
import org.blip4j.task.retrieval.RetrievalEvaluatorSplit;
import org.blip4j.train.TrainConfig;
import org.blip4j.train.Trainer;
import org.blip4j.train.TrainingListener;
import org.blip4j.train.TrainingTask;
import org.blip4j.vqa.VisualQuestionAnswerer;
import org.blip4j.vqa.VqaAnswer;
import org.blip4j.vqa.VqaOptions;

/**
 * The snippets of docs/API.md, one method each, compiled with the tests so they keep matching the real signatures.
 * This class sits outside blip4j's packages: it can only use the public API, as an application would.
 * ApiSnippetsTest runs the ones the builtin models can answer.
 */
final class ApiSnippets {
    private ApiSnippets() {
    }

    // --- caption
    static void caption(String model, Path imageFile) throws IOException {
        try (Blip blip = Blip.load(model)) {                     // e.g. "Salesforce/blip-image-captioning-base"
            Captioner captioner = new Captioner(blip);            // BLIP's defaults: beam 3, max 20, min 5
            RgbImage image = ImageLoader.load(imageFile);
            List<List<Caption>> captions = captioner.caption(List.of(image));  // per image, best first
            System.out.println(captions.get(0).get(0).text());
        }
    }

    // --- match (ITM / ITC)
    static void match(String model, Path imageFile, List<String> texts) throws IOException {
        try (Blip blip = Blip.load(model)) {                     // e.g. "Salesforce/blip-itm-base-coco"
            Matcher matcher = new Matcher(blip);
            Matcher.PairScore[][] s = matcher.scoreAll(List.of(ImageLoader.load(imageFile)), texts);
            for (int t = 0; t < texts.size(); t++) {
                System.out.printf("%s: ITM %.3f, ITC cosine %.3f%n", texts.get(t), s[0][t].itmProbability(),
                        s[0][t].itcCosine());
            }
        }
    }

    // --- embed
    static float[][] embed(String model, List<Path> imageFiles, String query) throws IOException {
        try (Blip blip = Blip.load(model)) {
            Embedder embedder = new Embedder(blip);               // L2-normalised ITC vectors
            float[][] images = embedder.embedImages(imageFiles.stream().map(ImageLoader::load).toList());
            float[] text = embedder.embedTexts(List.of(query))[0];
            for (int i = 0; i < images.length; i++) {
                System.out.printf("%s %.3f%n", imageFiles.get(i), Embedder.dot(images[i], text));
            }
            return images;
        }
    }

    // --- vqa
    static void vqa(Path imageFile) throws IOException {
        try (Blip blip = Blip.load("Salesforce/blip-vqa-base")) {
            VisualQuestionAnswerer vqa = new VisualQuestionAnswerer(blip, VqaOptions.defaults(), null);
            VqaAnswer answer = vqa.answer(ImageLoader.load(imageFile), "how many dogs are there?");
            System.out.println(answer.answer());
        }
    }

    // --- retrieval
    static void retrieval(String model, Path annotations, Path imageRoot) throws IOException {
        try (Blip blip = Blip.load(model)) {                     // e.g. "Salesforce/blip-itm-base-coco"
            RetrievalEvaluatorSplit split = RetrievalEvaluatorSplit.read(annotations, imageRoot);
            RetrievalEvaluatorResult r = new RetrievalEvaluator(blip).evaluate(split);
            System.out.println(r.metrics().toMap());              // txt_r1 ... img_r_mean, r_mean
        }
    }

    // --- capfilt
    static void capfilt(Path webJson, Path imageRoot, Path out) throws IOException {
        CapfiltConfig config = new CapfiltConfig("builtin:shapes-captioner", "builtin:shapes-filter", webJson,
                imageRoot, null, out, null, 1000, false);
        try (Blip captioner = Blip.load(config.captioner()); Blip filter = Blip.load(config.filter())) {
            CapfiltReport report = new CapfiltPipeline(config, CapfiltOptions.defaults())
                    .run(() -> new CapfiltModels(captioner, filter), new CapfiltPipeline.Listener() { });
            System.out.printf("noise ratio %.3f%n", report.syntheticNoiseRatio());  // out/ holds the new dataset
        }
    }

    // --- fine-tune
    static Path finetuneCaptioner(Path trainJson, Path imageRoot, Path runDir) throws IOException {
        TrainConfig config = TrainConfig.load("caption_coco").with(List.of(
                "init_from=builtin:shapes-captioner", "train_file=[" + trainJson + "]", "image_root=" + imageRoot,
                "image_size=64", "batch_size_train=8", "max_epoch=1"));
        try (NDManager manager = Engines.newManager(Engines.device("cpu"))) {
            Trainer.Result r = Trainer.run(config, TrainingTask.CAPTION, runDir, false, Path.of(""), manager,
                    TrainingListener.NONE);
            return r.modelDir();                                  // load it with Blip.load(dir.toString())
        }
    }
}
