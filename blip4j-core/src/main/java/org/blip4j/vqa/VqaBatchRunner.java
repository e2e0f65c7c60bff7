package org.blip4j.vqa;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.blip4j.image.ImageDecodeException;
import org.blip4j.image.ImageLoader;
import org.blip4j.image.RgbImage;

/**
 * Answers a whole question file batch by batch. An unreadable image is reported once and its questions are
 * left out; the others are answered. Questions of one image inside a batch share one decoded image (and one ViT
 * pass). In 'generate' mode an answer depends on the longest question of its batch, as in the original (padded
 * question positions are attended), so keep the batch size fixed when comparing runs.
 */
public final class VqaBatchRunner {
    /** Progress and failure callbacks (the CLI draws a progress bar and prints errors). */
    public interface Listener {
        void answered(int questions);

        void unreadable(Path image, ImageDecodeException error);
    }

    /** @param unreadableImages distinct images that failed; @param skippedQuestions questions about them */
    public record Result(List<VqaPrediction> predictions, int unreadableImages, int skippedQuestions) {
    }

    private final VisualQuestionAnswerer answerer;
    private final ImageLoader loader;

    public VqaBatchRunner(VisualQuestionAnswerer answerer, ImageLoader loader) {
        this.answerer = answerer;
        this.loader = loader;
    }

    public Result run(List<VqaQuestion> questions, Listener listener) {
        List<VqaPrediction> out = new ArrayList<>();
        Set<Path> failed = new HashSet<>();
        int skipped = 0;
        int batch = answerer.options().batchSize();
        for (int i = 0; i < questions.size(); i += batch) {
            List<VqaQuestion> chunk = questions.subList(i, Math.min(questions.size(), i + batch));
            Map<Path, RgbImage> decoded = new HashMap<>();
            List<VqaQuestion> ok = new ArrayList<>();
            List<RgbImage> images = new ArrayList<>();
            for (VqaQuestion q : chunk) {
                RgbImage img = failed.contains(q.image()) ? null : decoded.computeIfAbsent(q.image(), p -> {
                    try {
                        return loader.read(p);
                    } catch (ImageDecodeException e) {
                        failed.add(p);
                        listener.unreadable(p, e);
                        return null;
                    }
                });
                if (img == null) {
                    skipped++;
                    continue;
                }
                ok.add(q);
                images.add(img);
            }
            List<VqaAnswer> answers = answerer.answer(images, ok.stream().map(VqaQuestion::question).toList());
            for (int j = 0; j < ok.size(); j++) {
                out.add(new VqaPrediction(ok.get(j).questionId(), answers.get(j).answer()));
            }
            listener.answered(chunk.size());
        }
        return new Result(out, failed.size(), skipped);
    }
}
