package org.blip4j.spark;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.blip4j.bulk.ShardJob;
import org.blip4j.bulk.ShardCluster;

/**
 * A Spark session whose jobs compute shard parts: one task per input shard, each writing its own part file
 * atomically (see {@link CapfiltShardTask}). The driver is this JVM; it assembles the outputs afterwards.
 *
 * <p>Settings come from Spark's usual places ({@code spark.*} system properties, {@code spark-submit --conf});
 * defaults here: no web UI, no speculation (a speculative copy would only redo a shard), up to 4 attempts per task
 * on a cluster, and on loopback masters the driver bound to 127.0.0.1.
 */
public final class SparkShardCluster implements ShardCluster {
    /** JDK internals Spark opens on Java 17 (also in the module's surefire argLine and in {@code ./blip}). */
    public static final List<String> JVM_FLAGS = List.of("--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Dio.netty.tryReflectionSetAccessible=true");

    private final SparkSession spark;
    private final JavaSparkContext jsc;

    private SparkShardCluster(SparkSession spark) {
        this.spark = spark;
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    /**
     * @param master {@code local[N]}, {@code spark://HOST:PORT}, or null to take spark-submit's
     * @param threads intra-op threads per executor JVM (0: libtorch's default)
     */
    public static SparkShardCluster connect(String master, int threads) {
        SparkConf conf = new SparkConf(); // picks up spark.* system properties (spark-submit --conf)
        if (master != null) {
            conf.setMaster(master);
        }
        conf.setIfMissing("spark.app.name", "blip4j");
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.speculation", "false");
        conf.setIfMissing("spark.task.maxFailures", "4");
        String m = conf.get("spark.master", "");
        if (m.startsWith("local") || m.contains("://127.0.0.1") || m.contains("://localhost")) {
            conf.setIfMissing("spark.driver.host", "127.0.0.1");
            conf.setIfMissing("spark.driver.bindAddress", "127.0.0.1");
        }
        if (m.startsWith("spark://127.0.0.1") || m.startsWith("spark://localhost")) {
            // a `blip cluster` on this machine has no Spark distribution: executors get the driver's class path
            conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        }
        String executorOpts = String.join(" ", JVM_FLAGS) + " -Dai.djl.offline=true -Xss4m"
                + (threads > 0 ? " -Dai.djl.pytorch.num_threads=" + threads
                        + " -Dai.djl.pytorch.num_interop_threads=1" : "");
        conf.set("spark.executor.extraJavaOptions",
                (executorOpts + " " + conf.get("spark.executor.extraJavaOptions", "")).trim());
        conf.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
        SparkSession s = SparkSession.builder().config(conf).getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return new SparkShardCluster(s);
    }

    public SparkSession session() {
        return spark;
    }

    @Override
    public void computeParts(ShardJob<?> job, List<Path> shards) {
        List<String> paths = shards.stream().map(p -> p.toAbsolutePath().normalize().toString()).toList();
        jsc.setJobDescription("blip4j " + job.getClass().getSimpleName() + ": " + paths.size() + " shards");
        // one partition per shard: a task is a shard, its retry redoes exactly that shard
        jsc.parallelize(paths, Math.max(1, paths.size())).foreach(new ShardTask<>(job));
    }

    @Override
    public void close() {
        spark.stop();
    }
}
