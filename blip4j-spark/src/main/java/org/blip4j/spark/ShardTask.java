package org.blip4j.spark;

import org.apache.spark.api.java.function.VoidFunction;
import org.blip4j.bulk.ShardJob;
import org.blip4j.bulk.ShardSlices;

/**
 * The Spark task of one shard or one slice of a shard: skip it when its output exists (a retry after it was
 * written), else compute and write it atomically with the executor's resources ({@link ShardSlices#run}). Only the
 * job description is serialized into the closure; models come from {@link ExecutorResources}, loaded once per
 * executor JVM.
 */
final class ShardTask<R> implements VoidFunction<ShardSlices.Task> {
    private static final long serialVersionUID = 1L;

    private final ShardJob<R> job;

    ShardTask(ShardJob<R> job) {
        this.job = job;
    }

    @Override
    public void call(ShardSlices.Task task) throws Exception {
        ShardSlices.run(job, task, ExecutorResources.get(job));
    }
}
