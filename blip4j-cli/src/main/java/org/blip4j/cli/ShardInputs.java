package org.blip4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import org.blip4j.bulk.ShardCluster;
import org.blip4j.bulk.ShardJob;
import org.blip4j.bulk.ShardJobRunner;
import org.blip4j.bulk.ShardSlices;
import org.blip4j.data.WebDatasetReader;

/** Shard-pattern input of the bulk commands (caption, embed): here on worker threads, or on Spark with --master. */
final class ShardInputs {
    private ShardInputs() {
    }

    /** Brace patterns of .tar files, relative to the working directory, as absolute paths. */
    static List<Path> expand(List<String> patterns) throws IOException {
        for (String p : patterns) {
            if (!p.endsWith(".tar")) {
                throw new IllegalArgumentException("--data takes webdataset shard patterns ending in .tar, not " + p);
            }
        }
        return WebDatasetReader.shards(Path.of(""), patterns).stream().map(p -> p.toAbsolutePath().normalize())
                .toList();
    }

    /**
     * The Spark master: {@code --master}, else the one spark-submit sets ({@code spark.master}), else null (run
     * here). Under spark-submit the same command line therefore runs on the cluster.
     */
    static String master(String option) {
        return option != null ? option : System.getProperty("spark.master");
    }

    /** Computes the missing parts (a rerun resumes), here or on the cluster; the caller assembles. */
    static void computeMissing(ShardJob<?> job, List<Path> shards, String master, int threads, int workers,
            int recordsPerTask, int batchSize) throws IOException {
        ShardSlices.checkRecordsPerTask(recordsPerTask, batchSize);
        master = master(master);
        List<Path> missing = ShardJobRunner.missing(job, shards);
        if (missing.size() < shards.size()) {
            System.err.printf("resuming: %d of %d shards already done%n", shards.size() - missing.size(),
                    shards.size());
        }
        if (missing.isEmpty()) {
            return;
        }
        try (ProgressBar bar = Progress.bar("shards", shards.size(), "shard", shards.size() - missing.size())) {
            if (master != null) {
                try (ShardCluster cluster = ShardCluster.connect(master, threads)) {
                    cluster.computeParts(job, missing, recordsPerTask, s -> bar.step());
                }
            } else {
                ShardJobRunner.computeHere(job, missing, workers, recordsPerTask, s -> bar.step());
            }
        }
    }
}
