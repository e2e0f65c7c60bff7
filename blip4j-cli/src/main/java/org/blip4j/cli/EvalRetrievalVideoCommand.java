package org.blip4j.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.blip4j.eval.RetrievalMetrics;
import org.blip4j.task.Blip;
import org.blip4j.task.retrieval.RetrievalEvaluator;
import org.blip4j.task.retrieval.VideoRetrievalEvaluator;
import org.blip4j.task.VideoSplit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code blip eval retrieval-video}: zero-shot text-video retrieval as BLIP's eval_retrieval_video.py. */
@Command(name = "retrieval-video", mixinStandardHelpOptions = true,
        description = "Zero-shot text-video retrieval (TR/VR@1/5/10) with an image-text retrieval model.")
public final class EvalRetrievalVideoCommand implements Callable<Integer> {
    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--videos", required = true, paramLabel = "DIR",
            description = "directory of the videos (MP4/H.264 files, or directories of frames)")
    Path videos;

    @Option(names = "--annotations", required = true, paramLabel = "FILE",
            description = "JSON array or JSON lines of {\"clip_name\" | \"video\", \"caption\"} (msrvtt_test.jsonl)")
    Path annotations;

    @Option(names = "--frames", defaultValue = "8", description = "num_frm_test (default: ${DEFAULT-VALUE})")
    int frames;

    @Option(names = "--k-test", defaultValue = "128", description = "k_test (default: ${DEFAULT-VALUE})")
    int kTest;

    @Option(names = "--json", description = "one JSON object with the official keys")
    boolean json;

    @Override
    public Integer call() throws Exception {
        VideoSplit split = VideoSplit.read(annotations, videos);
        VideoRetrievalEvaluator.Result r;
        try (Blip blip = modelArgs.load()) {
            VideoRetrievalEvaluator evaluator = new VideoRetrievalEvaluator(blip, frames, kTest, 256, 128, 1L << 30);
            r = evaluator.evaluate(split, new BarProgress());
        }
        for (String s : r.skipped()) {
            System.err.println("skipped " + s);
        }
        RetrievalMetrics m = r.metrics();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("txt_r1", m.txtR1());
        out.put("txt_r5", m.txtR5());
        out.put("txt_r10", m.txtR10());
        out.put("txt_r_mean", m.txtRMean());
        out.put("vid_r1", m.imgR1());
        out.put("vid_r5", m.imgR5());
        out.put("vid_r10", m.imgR10());
        out.put("vid_r_mean", m.imgRMean());
        out.put("r_mean", m.rMean());
        out.put("videos", r.videos());
        out.put("texts", r.texts());
        out.put("skipped_videos", r.skipped().size());
        if (json) {
            System.out.println(Json.MAPPER.writeValueAsString(out));
        } else {
            out.forEach((k, v) -> System.out.println(v instanceof Double d
                    ? String.format(Locale.ROOT, "%-16s %8.2f", k, d) : String.format("%-16s %8s", k, v)));
        }
        return r.skipped().isEmpty() ? 0 : 1;
    }

    /** One bar per phase (video features, text features, ITM re-ranking) on stderr. */
    static final class BarProgress implements RetrievalEvaluator.Progress {
        private ProgressBar bar;

        @Override
        public void phase(String name, int total) {
            if (bar != null) {
                bar.close();
            }
            bar = Progress.bar(name, total, "it");
        }

        @Override
        public void advance(int steps) {
            bar.stepBy(steps);
            if (bar.getCurrent() >= bar.getMax()) {
                bar.close();
                bar = null;
            }
        }
    }
}
