package org.blip4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.blip4j.eval.RetrievalMetrics;
import org.blip4j.task.Blip;
import org.blip4j.task.retrieval.RetrievalEvaluator;
import org.blip4j.task.retrieval.RetrievalEvaluatorOptions;
import org.blip4j.task.retrieval.RetrievalEvaluatorResult;
import org.blip4j.task.retrieval.RetrievalEvaluatorSplit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code blip eval retrieval}: BLIP's train_retrieval.py evaluation on a Karpathy-style split. */
@Command(name = "retrieval", mixinStandardHelpOptions = true,
        description = "Image-text retrieval recall: ITC top-k re-ranked by ITM, as BLIP's evaluation.")
public final class EvalRetrievalCommand implements Callable<Integer> {
    @Mixin
    ModelArgs modelArgs;

    @Option(names = "--data", required = true, paramLabel = "ANN",
            description = "BLIP/Karpathy JSON: [{\"image\": path, \"caption\": [...]}], one entry per image")
    Path data;

    @Option(names = "--images", required = true, paramLabel = "ROOT", description = "directory the image paths are under")
    Path images;

    @Option(names = "--k-test", defaultValue = "256",
            description = "candidates re-ranked by ITM per query (BLIP: 256 COCO, 128 Flickr30K)")
    int kTest;

    @Option(names = "--batch-size", defaultValue = "16", description = "images per ViT forward")
    int batchSize;

    @Option(names = "--cache-mb", description = "memory for ViT outputs kept for re-ranking (default: min(1 GiB, "
            + "heap/4)); images beyond it are encoded again")
    Long cacheMb;

    @Option(names = "--json", description = "one JSON object: txt_r1 ... r_mean")
    boolean json;

    @Override
    public Integer call() throws Exception {
        RetrievalEvaluatorSplit split = RetrievalEvaluatorSplit.read(data, images);
        RetrievalEvaluatorOptions options = RetrievalEvaluatorOptions.defaults().withKTest(kTest);
        options = options.withBatchSizes(batchSize, options.textBatchSize(), options.itmBatchSize());
        if (cacheMb != null) {
            options = options.withEmbedCacheBytes(cacheMb << 20);
        }
        RetrievalEvaluatorResult result;
        try (Blip blip = modelArgs.load(); Bars bars = new Bars()) {
            result = new RetrievalEvaluator(blip, options).evaluate(split, bars);
        }
        Map<String, Double> metrics = result.metrics().toMap();
        System.out.println(json ? Json.MAPPER.writeValueAsString(metrics)
                : table(result.metrics(), split, kTest));
        return 0;
    }

    static String table(RetrievalMetrics m, RetrievalEvaluatorSplit split, int k) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-16s %8s %8s %8s %8s%n", "", "R@1", "R@5", "R@10", "mean"));
        sb.append(String.format(Locale.ROOT, "%-16s %8.2f %8.2f %8.2f %8.2f%n", "text (txt_r)", m.txtR1(), m.txtR5(),
                m.txtR10(), m.txtRMean()));
        sb.append(String.format(Locale.ROOT, "%-16s %8.2f %8.2f %8.2f %8.2f%n", "image (img_r)", m.imgR1(),
                m.imgR5(), m.imgR10(), m.imgRMean()));
        sb.append(String.format(Locale.ROOT, "%-16s %8.2f%n", "r_mean", m.rMean()));
        sb.append(String.format(Locale.ROOT, "%d images, %d texts, k_test %d", split.images().size(),
                split.texts().size(), k));
        return sb.toString();
    }

    /** One progress bar per evaluation phase, on stderr. */
    static final class Bars implements RetrievalEvaluator.Progress, AutoCloseable {
        private ProgressBar bar;

        @Override
        public void phase(String name, int total) {
            close();
            bar = Progress.bar(name, total, name.startsWith("text") ? "txt" : "img");
        }

        @Override
        public void advance(int steps) {
            bar.stepBy(steps);
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
