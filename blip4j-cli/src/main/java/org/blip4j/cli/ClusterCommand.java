package org.blip4j.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A Spark standalone cluster on 127.0.0.1 from the Spark jars on this JVM's class path (./blip puts them there
 * for this command): one master and N workers, each its own JVM. Writes {@code DIR/master.url} and
 * {@code DIR/master.pid}, {@code DIR/worker-K.pid}; logs go to {@code DIR/*.log}. Spark launches executors from
 * a Spark home; {@code DIR/spark-home} is an empty one (the executors' class path comes from the driver).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Start or stop a local Spark standalone cluster (master + N workers on 127.0.0.1).",
        subcommands = {ClusterCommand.Start.class, ClusterCommand.Stop.class})
public final class ClusterCommand {
    static final String MASTER = "org.apache.spark.deploy.master.Master";
    static final String WORKER = "org.apache.spark.deploy.worker.Worker";

    /** Starts the master and workers; returns once every worker is registered. */
    @Command(name = "start", mixinStandardHelpOptions = true, description = "start master and workers")
    static final class Start implements Callable<Integer> {
        @Option(names = "--workers", defaultValue = "2", description = "worker JVMs (default 2)")
        int workers;

        @Option(names = "--cores", defaultValue = "1", description = "cores each worker offers (default 1)")
        int cores;

        @Option(names = "--memory", defaultValue = "1g", description = "memory each worker offers to executors")
        String memory;

        @Option(names = "--dir", required = true, description = "state directory (pids, url, logs)")
        Path dir;

        @Option(names = "--lifetime", defaultValue = "120", description = "minutes after which every daemon exits "
                + "by itself (default 120)")
        long lifetime;

        @Option(names = "--timeout", defaultValue = "120", description = "seconds to wait for registration")
        long timeout;

        @Override
        public Integer call() throws Exception {
            if (workers < 1 || cores < 1 || lifetime < 1) {
                throw new IllegalArgumentException("--workers, --cores and --lifetime must be >= 1");
            }
            try {
                Class.forName(MASTER, false, ClusterCommand.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Spark is not on the class path: run this through ./blip cluster");
            }
            Files.createDirectories(dir.resolve("spark-home").resolve("jars"));
            if (Files.exists(dir.resolve("master.pid"))) {
                throw new IllegalStateException(dir + " holds a running cluster (master.pid); stop it first");
            }
            int port = freePort();
            String url = "spark://127.0.0.1:" + port;
            Process master = start(dir, "master", MASTER, List.of("--host", "127.0.0.1", "--port",
                    Integer.toString(port), "--webui-port", Integer.toString(freePort())), lifetime);
            write(dir.resolve("master.pid"), master.pid());
            awaitPort(port, master, dir.resolve("master.log"));
            for (int k = 1; k <= workers; k++) {
                Process w = start(dir, "worker-" + k, WORKER, List.of("--host", "127.0.0.1", "--cores",
                        Integer.toString(cores), "--memory", memory, "--webui-port", Integer.toString(freePort()),
                        "--work-dir", dir.resolve("work-" + k).toString(), url), lifetime);
                write(dir.resolve("worker-" + k + ".pid"), w.pid());
            }
            awaitWorkers(dir.resolve("master.log"), workers);
            Files.writeString(dir.resolve("master.url"), url + "\n");
            System.out.println(url);
            return 0;
        }

        private void awaitPort(int port, Process master, Path log) throws IOException, InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
            while (System.nanoTime() < end) {
                if (!master.isAlive()) {
                    throw new IOException("the Spark master exited; see " + log);
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                    return;
                } catch (IOException e) {
                    Thread.sleep(200);
                }
            }
            throw new IOException("the Spark master did not listen on port " + port + " within " + timeout
                    + " s; see " + log);
        }

        private void awaitWorkers(Path masterLog, int n) throws IOException, InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
            while (System.nanoTime() < end) {
                String log = Files.readString(masterLog, StandardCharsets.UTF_8);
                if (log.split("Registering worker", -1).length - 1 >= n) {
                    return;
                }
                Thread.sleep(250);
            }
            throw new IOException(n + " workers did not register within " + timeout + " s; see " + dir
                    + "/worker-*.log (stop the cluster with: blip cluster stop --dir " + dir + ")");
        }
    }

    /** Stops the daemons named by the pid files (only JVMs this command started). */
    @Command(name = "stop", mixinStandardHelpOptions = true, description = "stop master and workers")
    static final class Stop implements Callable<Integer> {
        @Option(names = "--dir", required = true, description = "state directory given to start")
        Path dir;

        @Override
        public Integer call() throws Exception {
            List<Path> pids = new ArrayList<>();
            try (var files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().endsWith(".pid")).sorted().forEach(pids::add);
            }
            pids.sort((a, b) -> a.getFileName().toString().startsWith("master") ? 1 : -1); // workers first
            int stopped = 0;
            for (Path p : pids) {
                long pid = Long.parseLong(Files.readString(p).trim());
                Optional<ProcessHandle> h = ProcessHandle.of(pid).filter(ClusterCommand::isDaemon);
                if (h.isPresent()) {
                    h.get().destroy();
                    try {
                        h.get().onExit().get(15, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        h.get().destroyForcibly();
                    }
                    stopped++;
                }
                Files.delete(p);
            }
            Files.deleteIfExists(dir.resolve("master.url"));
            System.out.println("stopped " + stopped + " daemon(s)");
            return 0;
        }
    }

    /** Only a JVM running {@link ClusterDaemon} is ever signalled (a pid file may outlive its process). */
    static boolean isDaemon(ProcessHandle h) {
        String name = ClusterDaemon.class.getName();
        Path proc = Path.of("/proc", Long.toString(h.pid()), "cmdline");
        try {
            // the JDK gives up on very long command lines (the class path); /proc has them whole
            if (Files.isReadable(proc)) {
                return new String(Files.readAllBytes(proc), StandardCharsets.UTF_8).contains(name);
            }
        } catch (IOException e) {
            // the process exited meanwhile
            return false;
        }
        return h.info().commandLine().map(c -> c.contains(name)).orElse(false);
    }

    private static Process start(Path dir, String name, String mainClass, List<String> args, long lifetime)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(sparkJvmFlags());
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ClusterDaemon.class.getName());
        cmd.add(Long.toString(lifetime));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("SPARK_HOME", dir.resolve("spark-home").toAbsolutePath().toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.redirectErrorStream(true);
        pb.redirectOutput(dir.resolve(name + ".log").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb.start();
    }

    /** The --add-opens flags this JVM was started with (./blip and the test argLine pass them). */
    static List<String> sparkJvmFlags() {
        List<String> out = new ArrayList<>();
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-Dio.netty")) {
                out.add(a);
            }
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void write(Path file, long pid) throws IOException {
        Files.writeString(file, pid + "\n");
    }
}
