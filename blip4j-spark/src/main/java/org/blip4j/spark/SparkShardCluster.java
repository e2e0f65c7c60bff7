package org.blip4j.spark;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.blip4j.bulk.ShardJob;
import org.blip4j.bulk.ShardCluster;
import org.blip4j.bulk.ShardSlices;

/**
 * A Spark session whose jobs compute shard parts: one task per input shard (or per fixed slice of a large shard,
 * {@link ShardSlices}), each writing its own file atomically (see {@code ShardTask}). The driver is this JVM; it
 * joins slices into parts and assembles the outputs afterwards.
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
        } else if (m.startsWith("spark://") && System.getProperty("blip4j.home") != null) {
            // ./blip driving a remote cluster: ship the shaded jar (mvn -pl blip4j-spark -am package) to executors
            Path jar = Path.of(System.getProperty("blip4j.home"), "blip4j-spark", "target", "blip4j-spark.jar");
            if (Files.isRegularFile(jar)) {
                conf.setIfMissing("spark.jars", jar.toString());
            }
        }
        String executorOpts = String.join(" ", JVM_FLAGS) + " -Dai.djl.offline=true -Xss4m"
                + (threads > 0 ? " -Dai.djl.pytorch.num_threads=" + threads
                        + " -Dai.djl.pytorch.num_interop_threads=1" : "");
        conf.set("spark.executor.extraJavaOptions",
                (executorOpts + " " + conf.get("spark.executor.extraJavaOptions", "")).trim());
        conf.setIfMissing("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
        long t0 = System.nanoTime();
        SparkSession s = SparkSession.builder().config(conf).getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        log("session on %s started in %.1f s (driver JVM age %.1f s)", m, seconds(t0),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
        return new SparkShardCluster(s);
    }

    public SparkSession session() {
        return spark;
    }

    @Override
    public void computeParts(ShardJob<?> job, List<Path> shards, int recordsPerTask, Consumer<Path> onShardDone)
            throws IOException {
        long t0 = System.nanoTime();
        List<ShardSlices.Task> tasks = ShardSlices.plan(job, shards, recordsPerTask);
        jsc.setJobDescription("blip4j " + job.getClass().getSimpleName() + ": " + shards.size() + " shards, "
                + tasks.size() + " tasks");
        // one partition per task: a retry redoes exactly that shard or slice
        JavaRDD<ShardSlices.Task> rdd = jsc.parallelize(tasks, Math.max(1, tasks.size()));
        TaskProgress progress = new TaskProgress(tasks, onShardDone);
        spark.sparkContext().addSparkListener(progress);
        try {
            rdd.foreach(new ShardTask<>(job));
        } finally {
            spark.sparkContext().removeSparkListener(progress);
        }
        long t1 = System.nanoTime();
        // the driver joins each sliced shard's slices into its part (a rerun finds the slices and only joins)
        for (var e : ShardSlices.slicedShards(tasks).entrySet()) {
            ShardSlices.assemble(job, e.getKey(), e.getValue());
            onShardDone.accept(e.getKey());
        }
        log("%d tasks of %d shards in %.1f s, slices joined in %.1f s", tasks.size(), shards.size(),
                (t1 - t0) / 1e9, seconds(t1));
    }

    /** Where a Spark run's time goes, on stderr (one line per phase). */
    private static void log(String format, Object... args) {
        System.err.println("spark: " + String.format(java.util.Locale.ROOT, format, args));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Reports each whole-shard task once, when its first successful attempt ends (partition i holds task i). */
    private static final class TaskProgress extends SparkListener {
        private final List<ShardSlices.Task> tasks;
        private final Consumer<Path> onShardDone;
        private final java.util.BitSet done = new java.util.BitSet();

        TaskProgress(List<ShardSlices.Task> tasks, Consumer<Path> onShardDone) {
            this.tasks = tasks;
            this.onShardDone = onShardDone;
        }

        @Override
        public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
            if (!end.taskInfo().successful()) {
                return;
            }
            int partition = end.taskInfo().partitionId();
            if (partition >= 0 && partition < tasks.size() && !done.get(partition)) {
                done.set(partition);
                if (tasks.get(partition).whole()) {
                    onShardDone.accept(tasks.get(partition).path());
                }
            }
        }
    }

    /** The columns of the CapFilt records table; metadata stays the JSON text of the sample's KEY.json. */
    static final StructType CAPFILT_RECORD = new StructType()
            .add("shard", DataTypes.StringType).add("key", DataTypes.StringType)
            .add("image", DataTypes.StringType).add("source", DataTypes.StringType)
            .add("source_index", DataTypes.IntegerType).add("text_index", DataTypes.IntegerType)
            .add("caption", DataTypes.StringType).add("itm", DataTypes.DoubleType).add("itc", DataTypes.DoubleType)
            .add("kept", DataTypes.BooleanType).add("metadata", DataTypes.StringType);

    @Override
    public void writeCapfiltTable(List<Path> parts, Path table) {
        String[] files = parts.stream().map(p -> p.toAbsolutePath().toString()).toArray(String[]::new);
        // record lines have a source; skipped-image and shard-summary lines do not
        Dataset<Row> records = spark.read().schema(CAPFILT_RECORD).json(files).filter(col("source").isNotNull());
        long t0 = System.nanoTime();
        records.coalesce(1).write().mode(SaveMode.Overwrite).parquet(table.toAbsolutePath().toString());
        log("records table written in %.1f s", seconds(t0));
    }

    @Override
    public void close() {
        spark.stop();
    }
}
