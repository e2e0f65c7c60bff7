package org.blip4j.spark;

import java.nio.file.Path;
import org.apache.spark.api.java.function.VoidFunction;
import org.blip4j.bulk.ShardJob;

/**
 * The Spark task of one shard: skip it when its part exists (a retry after the part was written), else compute
 * and write the part atomically with the executor's resources. Only the job description is serialized into the
 * closure; models come from {@link ExecutorResources}, loaded once per executor JVM.
 */
final class ShardTask<R> implements VoidFunction<String> {
    private static final long serialVersionUID = 1L;

    private final ShardJob<R> job;

    ShardTask(ShardJob<R> job) {
        this.job = job;
    }

    @Override
    public void call(String shard) throws Exception {
        Path p = Path.of(shard);
        if (job.done(p)) {
            return;
        }
        job.computeShard(p, ExecutorResources.get(job));
    }
}
