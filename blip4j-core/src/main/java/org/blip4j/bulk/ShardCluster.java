package org.blip4j.bulk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * A connection to a cluster that computes shard parts (the {@code blip4j-spark} module provides one through
 * {@link ShardClusterProvider}; core knows no engine). The driver stays in the calling JVM and assembles.
 */
public interface ShardCluster extends AutoCloseable {

    /**
     * Computes the part of each shard, one task per shard; returns when all are written.
     *
     * @param onShardDone told each shard whose task finished (for progress; called on one thread at a time)
     */
    default void computeParts(ShardJob<?> job, List<Path> shards, Consumer<Path> onShardDone) throws IOException {
        computeParts(job, shards, 0, onShardDone);
    }

    /**
     * Computes the part of each shard: one task per shard, or per slice of {@code recordsPerTask} samples for
     * larger shards, the slices assembled into the shard's part by this JVM ({@link ShardSlices}).
     */
    void computeParts(ShardJob<?> job, List<Path> shards, int recordsPerTask, Consumer<Path> onShardDone)
            throws IOException;

    /**
     * Writes the CapFilt records of the given part files (kept and removed; skipped-image and summary lines left
     * out) as a table others can query (Spark writes Parquet: shard, key, image, source, source_index,
     * text_index, caption, itm, itc, kept, metadata as JSON text).
     */
    void writeCapfiltTable(List<Path> parts, Path table) throws IOException;

    @Override
    void close();

    /**
     * Connects through the first provider on the class path.
     *
     * @param master {@code local[N]} or {@code spark://HOST:PORT}
     * @param threads intra-op threads per task on the executors (0: libtorch's default)
     * @throws IllegalStateException when no cluster module is on the class path
     */
    static ShardCluster connect(String master, int threads) throws IOException {
        for (ShardClusterProvider p : ServiceLoader.load(ShardClusterProvider.class)) {
            return p.connect(master, threads);
        }
        throw new IllegalStateException("--master needs the blip4j-spark module on the class path: run through "
                + "./blip (it builds and adds it on first use) or spark-submit blip4j-spark/target/blip4j-spark.jar");
    }
}
