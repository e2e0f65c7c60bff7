package org.blip4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.blip4j.generate.GenerationOptions;
import org.blip4j.image.ImageDecodeException;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;
import org.blip4j.task.Blip;
import org.blip4j.vqa.AnswerListFile;
import org.blip4j.vqa.VisualQuestionAnswerer;
import org.blip4j.vqa.VqaAnswer;
import org.blip4j.vqa.VqaBatchRunner;
import org.blip4j.vqa.VqaMode;
import org.blip4j.vqa.VqaOptions;
import org.blip4j.vqa.VqaPredictionFile;
import org.blip4j.vqa.VqaQuestion;
import org.blip4j.vqa.VqaQuestionFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Answers questions about images with a BLIP VQA model: one image and its questions, or a whole question file
 * written as {@code [{"question_id", "answer"}]} for {@code blip eval vqa}.
 */
@Command(name = "vqa", mixinStandardHelpOptions = true,
        description = {"Visual question answering ('generate': beam search; 'rank': best of a candidate list).",
            "  blip vqa --model M --image IMG --question Q [--json]",
            "  blip vqa --model M --questions FILE --images ROOT --out PRED.json"})
public final class VqaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--image", description = "image to ask about")
    Path image;

    @Option(names = "--video", description = "a video to ask about instead of --image (MP4/H.264 or a directory of"
            + " frames): the question encoder attends to all sampled frames' tokens")
    Path video;

    @Option(names = "--frames", defaultValue = "8", description = "frames sampled uniformly from --video")
    int frames;

    @Option(names = "--question", arity = "1..*", description = "question(s) about --image or --video")
    List<String> questions;

    @Option(names = "--questions", description = "question file: VQA v2 {\"questions\": [...]} or BLIP's list")
    Path questionFile;

    @Option(names = "--images", description = "root the question file's images are found under")
    Path imageRoot;

    @Option(names = "--out", description = "predictions file [{\"question_id\", \"answer\"}] (batch form)")
    Path out;

    @Option(names = "--mode", defaultValue = "generate", description = "generate or rank (default ${DEFAULT-VALUE})")
    VqaMode mode;

    @Option(names = "--answers", description = "candidate answers for rank: JSON list of strings or one per line")
    Path answers;

    @Option(names = "--k-test", defaultValue = "128", description = "candidates re-scored per question (rank)")
    int kTest;

    @Option(names = "--beams", defaultValue = "3", description = "beams (generate); 1 = greedy")
    int beams;

    @Option(names = "--max-length", defaultValue = "10", description = "counts the [DEC] start token")
    int maxLength;

    @Option(names = "--min-length", defaultValue = "1", description = "counts the [DEC] start token")
    int minLength;

    @Option(names = "--raw-question", description = "feed the questions as given (the default for --question, as "
            + "BLIP_VQA.forward and HF's BlipProcessor do)")
    boolean rawQuestion;

    @Option(names = "--pre-question", description = "normalise the questions with BLIP's pre_question first (lower "
            + "case, punctuation removed; the default for --questions FILE, as BLIP's VQA dataset does)")
    boolean preQuestion;

    @Option(names = "--batch-size", defaultValue = "8", description = "questions answered together")
    int batchSize;

    @Option(names = "--json", description = "one JSON line per question: {image, question, answer}")
    boolean json;

    @Override
    public Integer call() throws Exception {
        boolean single = image != null || video != null || questions != null;
        boolean batch = questionFile != null || imageRoot != null || out != null;
        if (image != null && video != null) {
            throw usage("give --image or --video, not both");
        }
        if (single == batch || (single && ((image == null && video == null) || questions == null))
                || (batch && (questionFile == null || imageRoot == null || out == null))) {
            throw usage("give either --image IMG --question Q, or --questions FILE --images ROOT --out PRED.json");
        }
        if (rawQuestion && preQuestion) {
            throw usage("--raw-question and --pre-question exclude each other");
        }
        if (mode == VqaMode.RANK && answers == null) {
            throw usage("--mode rank needs --answers FILE (candidate answers)");
        }
        List<String> candidates = mode == VqaMode.RANK ? AnswerListFile.read(answers) : null;
        // read the questions before the model so that a bad file fails fast
        List<VqaQuestion> fileQuestions = batch ? VqaQuestionFile.read(questionFile, imageRoot) : null;
        try (Blip blip = modelArgs.load()) {
            VisualQuestionAnswerer answerer = new VisualQuestionAnswerer(blip, options(batch), candidates);
            return single ? answerOne(answerer) : answerFile(answerer, fileQuestions);
        }
    }

    /** A question file is a dataset, normalised as BLIP's vqa_dataset does; a question typed in is fed as given. */
    VqaOptions options(boolean questionFile) {
        GenerationOptions g = beams == 1 ? GenerationOptions.greedy(maxLength, minLength)
                : GenerationOptions.beam(beams, maxLength, minLength);
        boolean normalise = preQuestion || (questionFile && !rawQuestion);
        return new VqaOptions(mode, g, kTest, normalise, batchSize);
    }

    private int answerOne(VisualQuestionAnswerer answerer) {
        if (video != null) {
            List<RgbImage> sampled;
            try {
                sampled = org.blip4j.video.VideoFrames.sample(video, frames);
            } catch (org.blip4j.video.VideoDecodeException e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
            for (String q : questions) {
                String a = answerer.answerVideo(sampled, q).answer();
                System.out.println(json ? Json.line("video", video.toString(), "question", q, "answer", a) : a);
            }
            return 0;
        }
        RgbImage img;
        try {
            img = ImageLoader.load(image);
        } catch (ImageDecodeException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
        List<VqaAnswer> result = answerer.answer(java.util.Collections.nCopies(questions.size(), img), questions);
        for (int i = 0; i < questions.size(); i++) {
            String a = result.get(i).answer();
            System.out.println(json ? Json.line("image", image.toString(), "question", questions.get(i), "answer", a)
                    : a);
        }
        return 0;
    }

    private int answerFile(VisualQuestionAnswerer answerer, List<VqaQuestion> all) throws Exception {
        VqaBatchRunner.Result result;
        try (ProgressBar bar = Progress.bar("vqa", all.size(), "q")) {
            result = new VqaBatchRunner(answerer, ImageLoader.defaults()).run(all, new VqaBatchRunner.Listener() {
                @Override
                public void answered(int n) {
                    bar.stepBy(n);
                }

                @Override
                public void unreadable(Path file, ImageDecodeException e) {
                    System.err.println("error: " + e.getMessage());
                }
            });
        }
        VqaPredictionFile.write(out, result.predictions());
        System.err.printf("wrote %d answers to %s%n", result.predictions().size(), out);
        if (result.unreadableImages() > 0) {
            System.err.printf("%d image(s) could not be read; %d question(s) left unanswered%n",
                    result.unreadableImages(), result.skippedQuestions());
            return 1;
        }
        return 0;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
