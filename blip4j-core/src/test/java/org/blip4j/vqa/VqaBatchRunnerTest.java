package org.blip4j.vqa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.blip4j.image.ImageDecodeException;
import org.blip4j.image.ImageLoader;
import org.blip4j.task.Blip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A question file answered in batches on tiny-a-vqa, with an unreadable image among the others. */
class VqaBatchRunnerTest {
    @TempDir
    Path tmp;

    @Test
    void answersEveryReadableQuestionAndReportsTheRest() throws Exception {
        TinyAVqaFixture fx = new TinyAVqaFixture();
        Path broken = tmp.resolve("broken.png");
        Files.write(broken, new byte[] {1, 2, 3});
        List<VqaQuestion> qs = new ArrayList<>();
        List<String> questions = fx.questions();
        for (int i = 0; i < 4; i++) {
            qs.add(new VqaQuestion(100 + i, questions.get(i),
                    TinyAVqaFixture.SET.resolve(fx.json.get("images").get(i).get("file").asText())));
        }
        qs.add(2, new VqaQuestion(99, "what is it?", broken));
        qs.add(new VqaQuestion(98, "and now?", broken));
        List<Path> reported = new ArrayList<>();
        int[] progress = {0};
        try (Blip blip = TinyAVqaFixture.load()) {
            VqaOptions rank = VqaOptions.defaults().withMode(VqaMode.RANK).withKTest(5).withPreQuestion(false)
                    .withBatchSize(2);
            VqaBatchRunner runner = new VqaBatchRunner(new VisualQuestionAnswerer(blip, rank, fx.answerList()),
                    ImageLoader.defaults());
            VqaBatchRunner.Result r = runner.run(qs, new VqaBatchRunner.Listener() {
                @Override
                public void answered(int n) {
                    progress[0] += n;
                }

                @Override
                public void unreadable(Path image, ImageDecodeException e) {
                    reported.add(image);
                }
            });
            assertEquals(List.of(broken), reported, "reported once");
            assertEquals(1, r.unreadableImages());
            assertEquals(2, r.skippedQuestions());
            assertEquals(6, progress[0]);
            assertEquals(List.of(new VqaPrediction(100, "green"), new VqaPrediction(101, "green"),
                    new VqaPrediction(102, "green"), new VqaPrediction(103, "three")), r.predictions());
        }
    }
}
