package org.blip4j.bulk;

import java.io.IOException;

/** Service interface ({@code META-INF/services}) of a module that runs shard jobs on a cluster. */
public interface ShardClusterProvider {
    ShardCluster connect(String master, int threads) throws IOException;
}
