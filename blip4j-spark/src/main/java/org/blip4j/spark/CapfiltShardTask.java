package org.blip4j.spark;

import java.nio.file.Path;
import org.apache.spark.api.java.function.VoidFunction;
import org.blip4j.capfilt.CapfiltJob;
import org.blip4j.capfilt.ShardParts;

/**
 * The Spark task of one shard: skip it when its part exists (a retry after the part was written), else compute
 * and write the part atomically with the executor's models. Only the job description is serialized into the
 * closure; the models come from {@link ExecutorModels}.
 */
final class CapfiltShardTask implements VoidFunction<String> {
    private static final long serialVersionUID = 1L;

    private final CapfiltJob job;

    CapfiltShardTask(CapfiltJob job) {
        this.job = job;
    }

    @Override
    public void call(String shard) throws Exception {
        if (ShardParts.done(job.out(), Path.of(shard))) {
            return;
        }
        job.computeShard(shard, ExecutorModels.capfilt(job));
    }
}
