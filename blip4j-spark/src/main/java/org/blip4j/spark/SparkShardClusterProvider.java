package org.blip4j.spark;

import org.blip4j.bulk.ShardCluster;
import org.blip4j.bulk.ShardClusterProvider;

/** Found by {@link ShardCluster#connect} through {@code META-INF/services}. */
public final class SparkShardClusterProvider implements ShardClusterProvider {
    @Override
    public ShardCluster connect(String master, int threads) {
        return SparkShardCluster.connect(master, threads);
    }
}
